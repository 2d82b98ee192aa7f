using System.Data.Common;
using System.Net.Sockets;
using Microsoft.Data.Sqlite;

namespace LightNvr.Data;

/// <summary>
/// Which failures mean "the database cannot take this write now" (an outage, a busy or full file) rather than "this
/// write is wrong": the recorder queues a row it could not insert for the first kind (docs/scale.md, database outage)
/// and reports the second as before.
/// </summary>
public static class DatabaseErrors
{
    // SQLite result codes (https://sqlite.org/rescode.html): the file is busy, locked, unreadable, full or read-only.
    private const int SqliteBusy = 5;
    private const int SqliteLocked = 6;
    private const int SqliteReadOnly = 8;
    private const int SqliteIoError = 10;
    private const int SqliteFull = 13;
    private const int SqliteCannotOpen = 14;

    /// <summary>
    /// True for a server that is away or refuses connections (Npgsql errors below the SQL layer, or the server's own
    /// transient states such as 57P01 admin shutdown), a timeout, a socket error, and SQLite's busy/locked/full/I/O codes.
    /// False for an SQL error the server answered (a constraint, a syntax error) and for anything that is no database error.
    /// </summary>
    public static bool IsUnavailable(Exception error) => error switch
    {
        SqliteException s => s.SqliteErrorCode is SqliteBusy or SqliteLocked or SqliteReadOnly or SqliteIoError or SqliteFull
            or SqliteCannotOpen,
        DbException d when NpgsqlCalls.IsNpgsql(d) => NpgsqlCalls.IsUnavailable(d),
        DbException d => d.IsTransient,
        TimeoutException or SocketException => true,
        _ => false,
    };
}
