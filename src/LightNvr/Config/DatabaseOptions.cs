namespace LightNvr.Config;

/// <summary>[database]</summary>
public sealed class DatabaseOptions
{
    [ConfigKey(IsPath = true, Env = ["DB_PATH"], Setting = "db_path")]
    public string Path { get; set; } = "data/lightnvr.db";

    /// <summary>Minutes between periodic backups (Data/DatabaseBackupService); 0 = no backups; at most a week.</summary>
    [ConfigKey(Min = 0, Max = 10080, Env = ["DB_BACKUP_INTERVAL_MINUTES"], Setting = "db_backup_interval_minutes", Applies = ConfigApplies.Live)]
    public int BackupIntervalMinutes { get; set; } = 60;

    /// <summary>Backups kept in the backups folder beside the database; the oldest go first; 0 = keep all.</summary>
    [ConfigKey(Min = 0, Max = 1000, Env = ["DB_BACKUP_RETENTION_COUNT"], Setting = "db_backup_retention_count", Applies = ConfigApplies.Live)]
    public int BackupRetentionCount { get; set; } = 24;

    /// <summary>Run after each periodic backup with the backup's path as its argument (e.g. to copy it elsewhere).</summary>
    [ConfigKey(IsPath = true, Env = ["DB_POST_BACKUP_SCRIPT"], Setting = "db_post_backup_script", Applies = ConfigApplies.Live)]
    public string PostBackupScript { get; set; } = "";
}
