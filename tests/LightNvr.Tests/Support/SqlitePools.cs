using System.Runtime.CompilerServices;
using LightNvr.Testing;
using Microsoft.Data.Sqlite;

namespace LightNvr.Tests.Support;

/// <summary>
/// Most folders these tests delete hold a SQLite database: the connection pools are cleared first, else pooled
/// connections keep the deleted files (and their descriptors) open for the rest of the run.
/// </summary>
internal static class SqlitePools
{
#pragma warning disable CA2255 // a test assembly's one-time set-up, not a library's
    [ModuleInitializer]
    internal static void ClearBeforeTempFoldersGo() => TempFolder.Deleting += SqliteConnection.ClearAllPools;
#pragma warning restore CA2255
}
