using System.Text.RegularExpressions;

namespace LightNvr.Tests.Architecture;

/// <summary>
/// One naming style for tests (issue 12 item 7): a sentence with underscores (<c>Bad_zones_are_400_…</c>), so a
/// failing test's name reads as the behaviour that broke. Single words (<c>Parses</c>) are sentences too.
/// </summary>
public sealed partial class TestNamingTests
{
    [Fact]
    public void Every_test_method_is_named_as_a_sentence()
    {
        var offenders = new List<string>();
        foreach (var file in Directory.EnumerateFiles(Path.Combine(Root(), "tests"), "*.cs", SearchOption.AllDirectories)
                     .Where(f => !f.Contains("/bin/", StringComparison.Ordinal) && !f.Contains("/obj/", StringComparison.Ordinal)))
        {
            foreach (Match m in TestMethod().Matches(File.ReadAllText(file)))
            {
                var name = m.Groups["name"].Value;
                if (!name.Contains('_', StringComparison.Ordinal) && CamelHump().IsMatch(name))
                {
                    offenders.Add($"{Path.GetFileName(file)}: {name}");
                }
            }
        }

        Assert.True(offenders.Count == 0, "PascalCase test names: " + string.Join(", ", offenders));
    }

    [Fact]
    public void The_scan_sees_test_methods()
    {
        var self = File.ReadAllText(Path.Combine(Root(), "tests", "LightNvr.Tests", "Architecture", "TestNamingTests.cs"));
        Assert.Contains("Every_test_method_is_named_as_a_sentence", TestMethod().Matches(self).Select(m => m.Groups["name"].Value));
        Assert.Matches(CamelHump(), "SlowFadeIsNotMotion");
        Assert.DoesNotMatch(CamelHump(), "Parses");
    }

    // [Fact] or [Theory] (with or without arguments), other attributes, then the method's name.
    [GeneratedRegex(@"\[(?:Fact|Theory)(?:\([^\]]*\))?\]\s*(?:\[[^\]]*\]\s*)*public\s+(?:async\s+)?[\w<>\[\]]+\s+(?<name>\w+)\s*\(")]
    private static partial Regex TestMethod();

    // A lower-case letter or digit followed by an upper-case one: more than one word run together.
    [GeneratedRegex(@"[a-z0-9][A-Z]")]
    private static partial Regex CamelHump();

    private static string Root()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "LightNvr.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("LightNvr.slnx not found");
    }
}
