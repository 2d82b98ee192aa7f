namespace LightNvr.Data.Migrations;

/// <summary>
/// The PostgreSQL form of migration <see cref="Version"/> (same number and name as its SQLite class): one script
/// applied in one transaction together with its schema_migrations row.
/// </summary>
public sealed record PostgresMigration(int Version, string Name, string Sql);
