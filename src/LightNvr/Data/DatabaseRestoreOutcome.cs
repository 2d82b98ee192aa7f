namespace LightNvr.Data;

/// <summary>
/// What <see cref="DatabaseRestore.ApplyPendingAsync"/> did at start-up: applied (the backup is now the database, the
/// previous files are in <see cref="Kept"/>) or rejected (the staged file was renamed to <see cref="Kept"/>, the
/// current database stays; <see cref="Error"/> says why).
/// </summary>
public sealed record DatabaseRestoreOutcome(bool Applied, DatabaseRestoreCheck? Check, string Kept, string? Error);
