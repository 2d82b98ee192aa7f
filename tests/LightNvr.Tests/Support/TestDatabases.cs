using LightNvr.Data;
using LightNvr.Testing;

namespace LightNvr.Tests.Support;

/// <summary>
/// A migrated database for a store test on either engine: SQLite in a file, or a fresh PostgreSQL database on the test
/// run's one server (<see cref="PostgresServer"/>), copied from a template migrated once per run.
/// </summary>
internal static class TestDatabases
{
    /// <summary>
    /// The engine of tests that do not name one: SQLite, or PostgreSQL when <c>LIGHTNVR_TEST_DATABASE=postgresql</c>
    /// (a whole-suite run on PostgreSQL: the API, storage and store tests then use the test server).
    /// </summary>
    public static DatabaseEngine Default =>
        Environment.GetEnvironmentVariable("LIGHTNVR_TEST_DATABASE") == "postgresql" ? DatabaseEngine.Postgresql : DatabaseEngine.Sqlite;

    /// <summary><paramref name="config"/> pointed at a fresh migrated PostgreSQL database when <see cref="Default"/> says so (else itself).</summary>
    public static async Task<LightNvr.Config.LightNvrConfig> UseDefaultEngineAsync(LightNvr.Config.LightNvrConfig config) =>
        Default == DatabaseEngine.Postgresql
            ? config with
            {
                Database = config.Database with
                {
                    Type = "postgresql",
                    ConnectionString = await PostgresServer.CreateDatabaseAsync("migrated", MigrateTemplateAsync),
                },
            }
            : config;

    /// <summary>A migrated database on <see cref="Default"/>.</summary>
    public static Task<Database> MigratedAsync(string sqlitePath, TimeProvider time) => MigratedAsync(Default, sqlitePath, time);

    public static async Task<Database> MigratedAsync(DatabaseEngine engine, string sqlitePath, TimeProvider time)
    {
        var db = engine == DatabaseEngine.Postgresql
            ? Database.Postgresql(await PostgresServer.CreateDatabaseAsync("migrated", MigrateTemplateAsync))
            : new Database(sqlitePath);
        await db.MigrateAsync(time);
        return db;
    }

    internal static async Task MigrateTemplateAsync(string connectionString)
    {
        await using var template = Database.Postgresql(connectionString);
        await template.MigrateAsync(TimeProvider.System);
    }
}
