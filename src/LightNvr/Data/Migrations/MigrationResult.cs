namespace LightNvr.Data.Migrations;

/// <summary>What a start-up migration did: the version before, the version after and the steps applied.</summary>
public sealed record MigrationResult(int FromVersion, int ToVersion, IReadOnlyList<int> Applied);
