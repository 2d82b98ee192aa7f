using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace LightNvr.Data;

/// <summary>
/// The few SQL spellings SQLite and PostgreSQL do not share. Everything else the stores write is common to both:
/// <c>@name</c> parameters, <c>INSERT … ON CONFLICT … DO UPDATE/DO NOTHING</c> (SQLite 3.24+, PostgreSQL 9.5+),
/// <c>RETURNING</c> (SQLite 3.35+), <c>LIMIT/OFFSET</c>, <c>COALESCE</c>, integers 0/1 for booleans (the PostgreSQL
/// schema keeps them as <c>BIGINT</c>, as upstream's SQLite file has them, so rows copy across unchanged).
/// </summary>
public sealed class SqlDialect
{
    /// <summary>SQLITE_CONSTRAINT (sqlite.org/rescode.html): unique, primary key and other constraint failures.</summary>
    private const int SqliteConstraint = 19;

    public static readonly SqlDialect Sqlite = new(DatabaseEngine.Sqlite);
    public static readonly SqlDialect Postgresql = new(DatabaseEngine.Postgresql);

    private SqlDialect(DatabaseEngine engine) => Engine = engine;

    public DatabaseEngine Engine { get; }

    /// <summary>The dialect of the engine a command belongs to (for SQL builders that see only the command).</summary>
    public static SqlDialect Of(DbCommand command) => command is SqliteCommand ? Sqlite : Postgresql;

    public bool IsPostgresql => Engine == DatabaseEngine.Postgresql;

    /// <summary>The smaller of two values: SQLite's two-argument <c>MIN</c>, PostgreSQL's <c>LEAST</c>.</summary>
    public string Least(string a, string b) => IsPostgresql ? $"LEAST({a}, {b})" : $"MIN({a}, {b})";

    /// <summary>The larger of two values: SQLite's two-argument <c>MAX</c>, PostgreSQL's <c>GREATEST</c>.</summary>
    public string Greatest(string a, string b) => IsPostgresql ? $"GREATEST({a}, {b})" : $"MAX({a}, {b})";

    /// <summary>
    /// A sub-select of the integers in a JSON array parameter (the stores pass id lists as one JSON text so a
    /// statement has a fixed shape): SQLite's <c>json_each</c>, PostgreSQL's <c>jsonb_array_elements_text</c>.
    /// </summary>
    public string JsonIntegers(string parameter) => IsPostgresql
        ? $"SELECT CAST(value AS BIGINT) FROM jsonb_array_elements_text(CAST({parameter} AS jsonb)) AS value"
        : $"SELECT value FROM json_each({parameter})";

    /// <summary>A sub-select of the strings in a JSON array parameter.</summary>
    public string JsonTexts(string parameter) => IsPostgresql
        ? $"SELECT value FROM jsonb_array_elements_text(CAST({parameter} AS jsonb)) AS value"
        : $"SELECT value FROM json_each({parameter})";

    /// <summary>
    /// SQLite's <c>INDEXED BY</c> hint (its planner picks badly on some list pages, RecordingFilterSql.From); nothing on
    /// PostgreSQL, whose planner uses the table statistics and has no hints.
    /// </summary>
    public string IndexedBy(string index) => IsPostgresql ? "" : " INDEXED BY " + index;

    /// <summary>The rows' physical order, the tie-break for rows written together: SQLite's rowid, PostgreSQL's ctid.</summary>
    public string InsertionOrder => IsPostgresql ? "ctid" : "rowid";

    /// <summary>Case-insensitive LIKE for ASCII, as SQLite's LIKE is by default: PostgreSQL's ILIKE.</summary>
    public string CaseInsensitiveLike => IsPostgresql ? "ILIKE" : "LIKE";

    /// <summary>
    /// The database's clock in unix milliseconds: lease expiry is judged by one clock, the database's, never by the
    /// nodes' own clocks (which may differ between boxes).
    /// </summary>
    public string NowMilliseconds => IsPostgresql
        ? "CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS BIGINT)"
        : "CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)";

    /// <summary>The error a UNIQUE or PRIMARY KEY constraint raises (a name or token already taken).</summary>
    public static bool IsUniqueViolation(DbException e) => e switch
    {
        SqliteException s => s.SqliteErrorCode == SqliteConstraint,
        _ => NpgsqlCalls.IsNpgsql(e) && NpgsqlCalls.IsUniqueViolation(e),
    };
}
