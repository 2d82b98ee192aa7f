using System.Data.Common;
using System.Runtime.CompilerServices;
using Npgsql;

namespace LightNvr.Data;

/// <summary>
/// The only code outside the PostgreSQL set-up that names Npgsql's types. The JIT loads an assembly when it compiles
/// a method that names one of its types, so a method that tested <c>is NpgsqlCommand</c> beside <c>is SqliteCommand</c>
/// mapped Npgsql (about 4 MB of idle RSS) on every SQLite box. The callers test for SQLite first and come here only
/// for something that is not SQLite's; these methods are never inlined into them.
/// </summary>
internal static class NpgsqlCalls
{
    /// <summary>True for an object of one of Npgsql's types, without loading Npgsql.</summary>
    public static bool IsNpgsql(object value) =>
        value.GetType().Namespace is { } ns && (ns == "Npgsql" || ns.StartsWith("Npgsql.", StringComparison.Ordinal));

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static DbParameter AddWithValue(DbParameterCollection parameters, string name, object? value) => parameters switch
    {
        NpgsqlParameterCollection npgsql => npgsql.AddWithValue(name, value ?? DBNull.Value),
        _ => throw new NotSupportedException($"No parameter binding for {parameters.GetType().Name}"),
    };

    /// <summary>
    /// SQLSTATE classes 08 connection exception, 53 insufficient resources, 57 operator intervention (57P01 admin
    /// shutdown, 57P03 cannot connect now), 58 system error (postgresql.org/docs/15/errcodes-appendix.html); any other
    /// Npgsql error (below the SQL layer: no server, a broken connection) too.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static bool IsUnavailable(DbException error) => error switch
    {
        PostgresException p => p.IsTransient || p.SqlState[..2] is "08" or "53" or "57" or "58",
        NpgsqlException => true,
        _ => error.IsTransient,
    };

    /// <summary>PostgreSQL's unique_violation (postgresql.org/docs/15/errcodes-appendix.html).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static bool IsUniqueViolation(DbException error) => error is PostgresException { SqlState: "23505" };
}
