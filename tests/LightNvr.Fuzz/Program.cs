using LightNvr.Fuzz;

// LightNvr.Fuzz list                      the targets
// LightNvr.Fuzz run TARGET                one target under afl-fuzz (SharpFuzz's out-of-process runner)
// LightNvr.Fuzz replay TARGET PATH...     saved inputs (files or folders) as ordinary tests, "N passed, N failed"
// LightNvr.Fuzz seeds DIR                 writes the seed corpus of every target to DIR/TARGET/
// scripts/fuzz.sh drives all of it (docs/robustness.md "Fuzzing").
return args switch
{
    ["list"] => List(),
    ["run", var name] when FuzzTargets.Find(name) is { } target => Run(target),
    ["replay", var name, .. var paths] when FuzzTargets.Find(name) is { } target && paths.Length > 0 =>
        Replay.Run(target, paths),
    ["seeds", var dir] => SeedWriter.WriteAll(dir),
    _ => Usage(),
};

static int List()
{
    foreach (var t in FuzzTargets.All)
    {
        Console.WriteLine($"{t.Name,-14} {t.Description}");
    }

    return 0;
}

static int Run(FuzzTarget target)
{
    SharpFuzz.Fuzzer.OutOfProcess.Run(stream =>
    {
        using var ms = new MemoryStream();
        stream.CopyTo(ms);
        target.Run(ms.ToArray());
    });
    return 0;
}

static int Usage()
{
    Console.Error.WriteLine("usage: LightNvr.Fuzz list | run TARGET | replay TARGET PATH... | seeds DIR");
    Console.Error.WriteLine("targets: " + string.Join(", ", FuzzTargets.All.Select(t => t.Name)));
    return 2;
}
