using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Workbench.Core.Data.Store.Sqlite;

namespace Workbench.Core.Data.Store;

// The provider behind a StoreLocation: the one place that knows the store is SQLite. A second provider (PostgreSQL)
// is chosen here from the connection string.
internal static class StoreProvider
{
    public static IBulkStore Bulk(string connectionString) => new SqliteBulkStore(connectionString);

    public static void UseStore(DbContextOptionsBuilder options, string connectionString) => SqliteConnections.UseStore(options, connectionString);

    public static Task<DbConnection> OpenAsync(string connectionString, bool pooled, CancellationToken ct) =>
        SqliteConnections.OpenAsync(connectionString, pooled, ct);

    public static DbParameter Parameter(string name, object value) => SqliteConnections.Parameter(name, value);

    public static Task<DbTransaction> BeginReadAsync(DbConnection connection, CancellationToken ct) =>
        Task.FromResult<DbTransaction>(SqliteConnections.BeginRead(connection));

    public static Task<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken ct) =>
        Task.FromResult(SqliteConnections.BeginWrite(connection));

    // A time limit on everything the connection runs until disposed; Expired says whether it stopped a statement.
    public static IQueryDeadline StartDeadline(DbConnection connection, TimeSpan limit, CancellationToken ct) =>
        SqliteProgressDeadline.Start(connection, limit, ct);

    public static Task<DbConnection> OpenSecureEraseAsync(StoreLocation store, CancellationToken ct) => SqliteSecureErase.OpenAsync(store, ct);

    public static Task<long> ScrubFreePagesAsync(DbConnection connection, DbTransaction tx, CancellationToken ct) =>
        SqliteSecureErase.ScrubFreePagesAsync(connection, tx, ct);

    public static Task<bool> CheckpointAsync(DbConnection connection, CancellationToken ct) => SqliteSecureErase.CheckpointAsync(connection, ct);

    public static string DataSourceOf(string connectionString) => SqliteConnections.DataSourceOf(connectionString);

    public static string ForFile(string path) => SqliteConnections.ForFile(path);

    public static string Rooted(string connectionString, string baseDirectory) => SqliteConnections.Rooted(connectionString, baseDirectory);

    public static IDisposable InterruptOn(DbConnection connection, CancellationToken ct) => SqliteConnections.InterruptOn(connection, ct);

    public static bool IsInterrupted(Exception e) => SqliteConnections.IsInterrupted(e);

    public static void Backup(string sourcePath, string destinationPath) => SqliteBackup.Copy(sourcePath, destinationPath);

    public static BackupContents InspectBackup(string path) => SqliteBackup.Inspect(path);

    public static RestoreLock LockForRestore(string storePath, Func<IStoreProbe, string?> refusal) =>
        SqliteBackup.LockForRestore(storePath, refusal);

    public static void Restore(RestoreLock locked, string sourcePath) => SqliteBackup.Restore(locked, sourcePath);

    // Pooled connections keep a store file open; closed before a file is deleted or replaced.
    public static void ReleaseConnections() => SqliteConnections.ClearPools();
}
