namespace LightNvr.Data;

/// <summary>
/// What a checked backup holds (<see cref="DatabaseRestore.CheckAsync"/>): its schema version and the newest this build
/// knows (an older one is migrated forward at start), and its row counts, for the restore reply and the log.
/// </summary>
public sealed record DatabaseRestoreCheck(int SchemaVersion, int KnownVersion, long Streams, long Users, long Recordings,
    long Bytes);
