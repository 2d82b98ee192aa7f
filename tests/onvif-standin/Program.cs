// The ONVIF device stand-in as a process (a STAND-IN written from the ONVIF specs, not a camera: issue 16 item 7).
// Usage: onvif-standin [--main URI] [--sub URI] [--user NAME] [--password PASS] [--skew-hours H] [--multicast]
//        [--media2] [--bind ADDRESS]   (defaults: admin/secret, 127.0.0.1, the URIs of the C# class)
// Prints "READY <device service URL> <discovery UDP port>" once it listens; then one line per SOAP operation it
// answers ("OP <name>"), so a test can see what its client asked. Stops on SIGTERM/SIGINT.
using LightNvr.Testing.Onvif;

string? Arg(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
var standIn = new OnvifStandIn(
    Arg("--user") ?? "admin", Arg("--password") ?? "secret",
    TimeSpan.FromHours(double.Parse(Arg("--skew-hours") ?? "0", System.Globalization.CultureInfo.InvariantCulture)),
    Arg("--main") ?? "rtsp://127.0.0.1:8554/main", Arg("--sub") ?? "rtsp://127.0.0.1:8554/sub",
    bindAddress: Arg("--bind") ?? "127.0.0.1", multicast: args.Contains("--multicast"))
{
    Media2 = args.Contains("--media2"),
};
standIn.OperationReceived += op => Console.WriteLine($"OP {op}");
Console.WriteLine($"READY {standIn.DeviceUrl} {standIn.DiscoveryPort}");
using var done = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; done.Cancel(); };
AppDomain.CurrentDomain.ProcessExit += (_, _) => done.Cancel();
try
{
    await Task.Delay(Timeout.Infinite, done.Token);
}
catch (OperationCanceledException)
{
}
await standIn.DisposeAsync();
