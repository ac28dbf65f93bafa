using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using SQLitePCL;
using Workbench.Core.Customers;

namespace Workbench.Core.Data.Store.Sqlite;

// Connections to the SQLite store: connection strings, the app's SQL functions, cancelling a statement in flight.
internal static class SqliteConnections
{
    public static string DataSourceOf(string connectionString) => new SqliteConnectionStringBuilder(connectionString).DataSource;

    public static string ForFile(string path) => new SqliteConnectionStringBuilder { DataSource = path }.ToString();

    // A relative file is taken from baseDirectory; an in-memory store stays in memory.
    public static string Rooted(string connectionString, string baseDirectory)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString);
        if (!Path.IsPathRooted(builder.DataSource) && builder.DataSource != ":memory:")
            builder.DataSource = Path.GetFullPath(Path.Combine(baseDirectory, builder.DataSource));
        return builder.ToString();
    }

    public static DbParameter Parameter(string name, object value) => new SqliteParameter(name, value);

    public static void UseStore(DbContextOptionsBuilder options, string connectionString) => options.UseSqlite(connectionString);

    public static async Task<DbConnection> OpenAsync(string connectionString, bool pooled, CancellationToken ct)
    {
        var connection = new SqliteConnection(pooled ? connectionString : Unpooled(connectionString));
        await connection.OpenAsync(ct);
        AddFunctions(connection);
        SqliteCheck.Exec(connection.Handle!, "PRAGMA busy_timeout = 30000");
        return connection;
    }

    public static SqliteConnection OpenDedicated(string connectionString)
    {
        var connection = new SqliteConnection(Unpooled(connectionString));
        connection.Open();
        AddFunctions(connection);
        return connection;
    }

    private static string Unpooled(string connectionString) =>
        new SqliteConnectionStringBuilder(connectionString) { Pooling = false }.ToString();

    private static void AddFunctions(SqliteConnection connection)
    {
        connection.CreateFunction("wb_valid_email", (string? email) => ContactRules.IsValidEmail(email) ? 1 : 0, isDeterministic: true);
        connection.CreateFunction("wb_valid_phone", (string? phone) => ContactRules.IsValidPhone(phone) ? 1 : 0, isDeterministic: true);
        connection.CreateFunction("wb_norm_phone", (string? phone, string? country) => ContactRules.NormalizePhone(phone, country), isDeterministic: true);
    }

    // Microsoft.Data.Sqlite checks the token only before a statement starts; sqlite3_interrupt (thread-safe) stops one
    // in flight, which surfaces as SQLITE_INTERRUPT.
    public static IDisposable InterruptOn(DbConnection connection, CancellationToken ct)
    {
        var handle = ((SqliteConnection)connection).Handle;
        return ct.Register(() => { if (handle is not null) raw.sqlite3_interrupt(handle); });
    }

    public static DbTransaction BeginRead(DbConnection connection) => ((SqliteConnection)connection).BeginTransaction(deferred: true);

    // BEGIN IMMEDIATE: the write lock is taken up front, so the transaction never fails half-way on a busy store.
    public static DbTransaction BeginWrite(DbConnection connection) => ((SqliteConnection)connection).BeginTransaction(deferred: false);

    public static bool IsInterrupted(Exception e) => e is SqliteException { SqliteErrorCode: raw.SQLITE_INTERRUPT };

    public static void ClearPools() => SqliteConnection.ClearAllPools();
}
