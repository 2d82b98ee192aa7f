using System.Reflection;
using System.Text.RegularExpressions;
using LightNvr.Media;
using NetArchTest.Rules;

namespace LightNvr.Tests.Architecture;

/// <summary>
/// The dependency rule of docs/layering.md, checked on the built assemblies (type references, not <c>using</c> lines):
/// each top-level namespace of the server uses only the namespaces its row lists; every namespace has a row; the media
/// library uses nothing of the server; Data uses nothing but the BCL, SQLite and its row; no subsystem (anything but
/// Hosting, Api and the composition root) uses the web host's set-up types.
/// </summary>
public sealed partial class LayeringTests
{
    private const string Root = "(root)";
    private static readonly Assembly Server = typeof(LightNvrComposition).Assembly;
    private static readonly Assembly MediaLibrary = typeof(MediaKind).Assembly;
    private static readonly Lazy<IReadOnlyDictionary<string, string[]>> Table = new(ReadTable);

    public static TheoryData<string> Namespaces() => new(Table.Value.Keys.Where(k => k != Root).Order());

    [Theory]
    [MemberData(nameof(Namespaces))]
    public void Namespace_references_only_what_its_row_allows(string name)
    {
        var allowed = Table.Value[name].Append(name).ToHashSet(StringComparer.Ordinal);
        var forbidden = TopLevelNames().Where(n => !allowed.Contains(n)).Select(n => "LightNvr." + n).ToArray();

        var result = Types.InAssembly(Server).That().ResideInNamespace("LightNvr." + name)
            .ShouldNot().HaveDependencyOnAny(forbidden).GetResult();

        Assert.True(result.IsSuccessful, Describe($"LightNvr.{name} may reference only {string.Join(", ", Table.Value[name])}", result));
    }

    [Fact]
    public void Every_top_level_namespace_of_the_server_has_a_row()
    {
        var missing = ServerNamespaces().Where(n => n != Root && !Table.Value.ContainsKey(n)).Order().ToArray();

        Assert.True(missing.Length == 0, $"add a row to docs/layering.md for: {string.Join(", ", missing)}");
    }

    [Fact]
    public void The_check_sees_dependencies_at_all()
    {
        // A canary: the endpoints certainly use the stores. If the library stopped seeing references, every rule
        // above would pass; this one would not.
        var users = Types.InAssembly(Server).That().ResideInNamespace("LightNvr.Api").And()
            .HaveDependencyOnAny("LightNvr.Data").GetTypes();

        Assert.NotEmpty(users);
    }

    [Fact]
    public void Media_library_references_nothing_of_the_server()
    {
        var server = ServerNamespaces().Where(n => n != Root).Select(n => "LightNvr." + n)
            .Concat(["Microsoft.AspNetCore", "Microsoft.Data.Sqlite", "Microsoft.Extensions.DependencyInjection"]).ToArray();

        var result = Types.InAssembly(MediaLibrary).ShouldNot().HaveDependencyOnAny(server).GetResult();

        Assert.True(result.IsSuccessful, Describe("LightNvr.Media references nothing of the server", result));
        Assert.DoesNotContain(MediaLibrary.GetReferencedAssemblies(), a => a.Name == Server.GetName().Name);
    }

    [Fact]
    public void Data_uses_only_the_bcl_its_two_database_drivers_and_its_row()
    {
        string[] outside = ["System", "Microsoft.Data.Sqlite", "SQLitePCL", "Npgsql", "Microsoft.Extensions", "Microsoft.CodeAnalysis"];
        var own = Table.Value["Data"].Append("Data").Select(n => "LightNvr." + n);

        var result = Types.InAssembly(Server).That().ResideInNamespace("LightNvr.Data")
            .Should().OnlyHaveDependencyOn([.. outside, .. own]).GetResult();

        Assert.True(result.IsSuccessful, Describe("LightNvr.Data uses only " + string.Join(", ", outside), result));
    }

    [Fact]
    public void No_subsystem_uses_the_web_host_set_up()
    {
        string[] setUp = ["LightNvr.Hosting.HostingExtensions", "LightNvr.Hosting.SecurityHeaders"];

        var result = Types.InAssembly(Server).That().DoNotResideInNamespace("LightNvr.Hosting")
            .ShouldNot().HaveDependencyOnAny(setUp).GetResult();
        var failing = (result.FailingTypes ?? []).Where(t => TopLevel(t.ReflectionType.Namespace) is not (Root or "Api")).ToArray();

        Assert.True(failing.Length == 0, "web host set-up used by: " + string.Join(", ", failing.Select(t => t.FullName)));
    }

    /// <summary>"Api" for LightNvr.Api.Users, <see cref="Root"/> for LightNvr itself and the global namespace.</summary>
    private static string TopLevel(string? ns) =>
        ns is null || ns == "LightNvr" ? Root
        : ns.StartsWith("LightNvr.", StringComparison.Ordinal) ? ns["LightNvr.".Length..].Split('.')[0]
        : "";

    private static IEnumerable<string> ServerNamespaces() =>
        Server.GetTypes().Select(t => TopLevel(t.Namespace)).Where(n => n.Length > 0).Distinct();

    private static IEnumerable<string> TopLevelNames() =>
        ServerNamespaces().Concat(Table.Value.Keys).Append("Media").Where(n => n != Root).Distinct();

    private static string Describe(string rule, TestResult result) =>
        $"{rule}; breaking it: " + string.Join("; ", (result.FailingTypes ?? []).Select(t => $"{t.FullName} ({t.Explanation})"));

    /// <summary>The rows of docs/layering.md's table: namespace → what it may reference ("—" for nothing).</summary>
    private static IReadOnlyDictionary<string, string[]> ReadTable()
    {
        var rows = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var line in File.ReadLines(Path.Combine(RepoRoot(), "docs", "layering.md")))
        {
            if (Row().Match(line) is { Success: true } m)
            {
                rows[m.Groups[1].Value] = m.Groups[2].Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                    .Where(n => n != "—").ToArray();
            }
        }
        Assert.True(rows.Count > 10, "docs/layering.md lost its table");
        return rows;
    }

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "LightNvr.slnx")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("LightNvr.slnx not found above " + AppContext.BaseDirectory);
    }

    /// <summary>| `Name` | A, B, C | (the composition root's row says "everything", which is not a list).</summary>
    [GeneratedRegex(@"^\|\s*`([A-Za-z]+|\(root\))`\s*\|\s*([A-Za-z, —]*?)\s*\|\s*$")]
    private static partial Regex Row();
}
