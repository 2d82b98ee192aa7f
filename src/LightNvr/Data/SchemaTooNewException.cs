namespace LightNvr.Data;

/// <summary>
/// The database records a schema version this build does not know (it was written by a newer LightNVR).
/// Start-up stops rather than run old code against a newer layout; the message says what to do.
/// </summary>
public sealed class SchemaTooNewException : Exception
{
    public SchemaTooNewException(string path, int databaseVersion, int knownVersion)
        : base($"Database '{path}' has schema version {databaseVersion}, but this build of LightNVR only knows up to " +
               $"version {knownVersion}. It was written by a newer LightNVR: upgrade LightNVR, or point [database] path " +
               "at a backup made with this version. Refusing to start so the newer data is not damaged.")
    {
        DatabasePath = path;
        DatabaseVersion = databaseVersion;
        KnownVersion = knownVersion;
    }

    /// <summary>The file is upstream LightNVR's own (its schema_migrations has no name column): import it instead.</summary>
    public static SchemaTooNewException ForUpstream(string path, int upstreamVersion) =>
        new($"Database '{path}' was written by upstream LightNVR (its migration {upstreamVersion:D4}); this build does not " +
            "open it in place. Bring its streams, users, zones and recordings over with " +
            $"'lightnvr -c YOUR.ini import --from {path}' (add --dry-run to see what it would do; docs/data.md \"Import from " +
            "upstream\") and point [database] path at a new file.")
        {
            Upstream = true,
        };

    /// <summary>True when the file is upstream LightNVR's (see <see cref="ForUpstream"/>).</summary>
    public bool Upstream { get; private init; }

    public SchemaTooNewException() { DatabasePath = ""; }

    public SchemaTooNewException(string message) : base(message) { DatabasePath = ""; }

    public SchemaTooNewException(string message, Exception innerException) : base(message, innerException) { DatabasePath = ""; }

    public string DatabasePath { get; }
    public int DatabaseVersion { get; }
    public int KnownVersion { get; }
}
