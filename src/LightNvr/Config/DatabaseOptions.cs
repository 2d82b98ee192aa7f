namespace LightNvr.Config;

/// <summary>[database]</summary>
public sealed record DatabaseOptions
{
    /// <summary>The engine: <c>sqlite</c> (the embedded default, one file at <see cref="Path"/>) or <c>postgresql</c>
    /// (<see cref="ConnectionString"/>; several recorder nodes can share one database, docs/scale.md).</summary>
    [ConfigKey(Choices = ["sqlite", "postgresql"])]
    public string Type { get; init; } = "sqlite";

    /// <summary>For <c>type = postgresql</c>: an Npgsql connection string (<c>Host=…;Port=…;Database=…;Username=…;Password=…</c>).
    /// Secret: it may hold the password.</summary>
    [ConfigKey(IsSecret = true)]
    public string ConnectionString { get; init; } = "";

    /// <summary>For <c>type = postgresql</c>: the most connections this node opens (Npgsql's Maximum Pool Size);
    /// 0 = the connection string's own value (Npgsql's default, 100).</summary>
    [ConfigKey(Min = 0, Max = MaxPoolSize)]
    public int PoolSize { get; init; } = 20;

    /// <summary>PostgreSQL's default <c>max_connections</c> is 100; one node never needs more than that.</summary>
    public const int MaxPoolSize = 100;

    [ConfigKey(IsPath = true, Env = ["DB_PATH"], Setting = "db_path")]
    public string Path { get; init; } = "data/lightnvr.db";

    /// <summary>Minutes between periodic backups (Data/DatabaseBackupService); 0 = no backups; at most a week.</summary>
    [ConfigKey(Min = 0, Max = 10080, Env = ["DB_BACKUP_INTERVAL_MINUTES"], Setting = "db_backup_interval_minutes", Applies = ConfigApplies.Live)]
    public int BackupIntervalMinutes { get; init; } = 60;

    /// <summary>Backups kept in the backups folder beside the database; the oldest go first; 0 = keep all.</summary>
    [ConfigKey(Min = 0, Max = 1000, Env = ["DB_BACKUP_RETENTION_COUNT"], Setting = "db_backup_retention_count", Applies = ConfigApplies.Live)]
    public int BackupRetentionCount { get; init; } = 24;

    /// <summary>Run after each periodic backup with the backup's path as its argument (e.g. to copy it elsewhere).</summary>
    [ConfigKey(IsPath = true, Env = ["DB_POST_BACKUP_SCRIPT"], Setting = "db_post_backup_script", Applies = ConfigApplies.Live)]
    public string PostBackupScript { get; init; } = "";

    /// <summary>The type name only: a record would print every value, secrets included (logs, test output).</summary>
    public override string ToString() => nameof(DatabaseOptions);
}
