using System.Globalization;
using System.Text;
using LightNvr.Data;

namespace LightNvr.Import;

/// <summary>What an import found and did (or, on a dry run, would do), printed by <see cref="ImportCommand"/>.</summary>
public sealed class ImportReport
{
    /// <summary>Missing recording files listed by name; beyond that only counted.</summary>
    public const int MaxListedMissing = 20;

    public required int UpstreamVersion { get; init; }

    public required bool DryRun { get; init; }

    public List<TableImport> Tables { get; } = [];

    public long RecordingsFound { get; set; }

    public long RecordingsAdded { get; set; }

    public long RecordingsAlreadyHere { get; set; }

    public long MissingFiles { get; set; }

    public List<string> MissingExamples { get; } = [];

    /// <summary>Upstream <c>system_settings</c> keys left behind, with why (never their values).</summary>
    public List<(string Key, string Why)> UnmappedSettings { get; } = [];

    public void AddMissing(string path)
    {
        MissingFiles++;
        if (MissingExamples.Count < MaxListedMissing)
        {
            MissingExamples.Add(path);
        }
    }

    public string Format()
    {
        var c = CultureInfo.InvariantCulture;
        var verb = DryRun ? "would add" : "added";
        var sb = new StringBuilder();
        sb.Append(c, $"Upstream LightNVR database at migration {UpstreamVersion:D4}{(DryRun ? " (dry run: nothing written)" : "")}\n");
        foreach (var t in Tables)
        {
            sb.Append(c, $"  {t.Table,-16} {t.Found,6} found, {verb} {t.Added}, {t.AlreadyHere} already here\n");
        }

        sb.Append(c, $"  {"recordings",-16} {RecordingsFound,6} found, {verb} {RecordingsAdded}, {RecordingsAlreadyHere} already here, " +
                     $"{MissingFiles} without a file (skipped)\n");
        foreach (var path in MissingExamples)
        {
            sb.Append(c, $"    missing: {path}\n");
        }

        if (MissingFiles > MissingExamples.Count)
        {
            sb.Append(c, $"    … and {MissingFiles - MissingExamples.Count} more\n");
        }

        foreach (var (key, why) in UnmappedSettings)
        {
            sb.Append(c, $"  system_settings {key}: not imported, {why}\n");
        }

        sb.Append("Not imported: sessions (everyone signs in again: a sign-in token read from upstream's file, where it is kept in\n" +
                  "  clear, would stay valid here and in every copy of that file).\n");
        sb.Append("API keys keep working (stored here as their SHA-256, no longer in clear).\n");
        sb.Append("Users keep their passwords: upstream's hashes are checked at the next sign-in and then rehashed.\n");
        return sb.ToString();
    }
}
