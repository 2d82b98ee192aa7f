namespace LightNvr.Config;

/// <summary>[database]</summary>
public sealed class DatabaseOptions
{
    [ConfigKey(IsPath = true, Env = ["DB_PATH"], Setting = "db_path")]
    public string Path { get; set; } = "data/lightnvr.db";

    /// <summary>0 = no backups; at most a week.</summary>
    [ConfigKey(Min = 0, Max = 10080, Env = ["DB_BACKUP_INTERVAL_MINUTES"], Setting = "db_backup_interval_minutes", NoEffect = "stored, no effect yet (backups, issue 17)")]
    public int BackupIntervalMinutes { get; set; } = 60;

    [ConfigKey(Min = 0, Max = 1000, Env = ["DB_BACKUP_RETENTION_COUNT"], Setting = "db_backup_retention_count", NoEffect = "stored, no effect yet (backups, issue 17)")]
    public int BackupRetentionCount { get; set; } = 24;

    [ConfigKey(IsPath = true, Env = ["DB_POST_BACKUP_SCRIPT"], Setting = "db_post_backup_script", NoEffect = "stored, no effect yet (backups, issue 17)")]
    public string PostBackupScript { get; set; } = "";
}
