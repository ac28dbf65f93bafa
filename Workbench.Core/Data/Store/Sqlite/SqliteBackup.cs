using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Workbench.Core.Data.Store.Sqlite;

// SQLite's online backup API between store files, and what a copy holds. sqlite3_backup_step(-1) copies every page
// under one read lock on the source, so the copy is one committed state even while other connections write: in
// WAL mode (the store's, as EF Core creates it) writers go on beside the copy, in rollback-journal mode they wait.
internal static class SqliteBackup
{
    private const int BusyMilliseconds = 30_000;

    public static void Copy(string sourcePath, string destinationPath)
    {
        using var source = Run(sourcePath, () =>
        {
            var connection = Open(sourcePath, SqliteOpenMode.ReadWrite, BusyMilliseconds);
            try { _ = TableNames(connection); }
            catch { connection.Dispose(); throw; }
            return connection;
        });
        using var destination = Run(destinationPath, () => Open(destinationPath, SqliteOpenMode.ReadWriteCreate, BusyMilliseconds));
        Run(destinationPath, () =>
        {
            source.BackupDatabase(destination);
            // The copy takes the store's WAL mode with its pages; a backup is one self-contained file instead.
            SqliteCheck.Exec(destination.Handle!, "PRAGMA journal_mode = DELETE");
        });
    }

    // Restores sourcePath into the store at targetPath through the backup API, so connections elsewhere see the new
    // content through SQLite's own locks rather than a file swapped under them. The store is first locked exclusively
    // (without waiting): a busy store is in use and is refused; refusal then reads the locked store and says why it
    // must not be replaced (null when it may).
    public static RestoreLock LockForRestore(string targetPath, Func<IStoreProbe, string?> refusal)
    {
        return Run(targetPath, () =>
        {
            if (!File.Exists(targetPath))
            {
                // A journal or WAL left without its database would be replayed into the restored one.
                foreach (var stale in new[] { "-wal", "-shm", "-journal" }) File.Delete(targetPath + stale);
            }
            var connection = Open(targetPath, SqliteOpenMode.ReadWriteCreate, 0);
            try
            {
                using (var begin = connection.CreateCommand())
                {
                    begin.CommandText = "BEGIN EXCLUSIVE";
                    begin.CommandTimeout = 1;
                    try { begin.ExecuteNonQuery(); }
                    catch (SqliteException e) when (e.SqliteErrorCode is raw.SQLITE_BUSY or raw.SQLITE_LOCKED)
                    {
                        connection.Dispose();
                        return new RestoreLock(null, InUse: true, Refusal: null);
                    }
                }
                return new RestoreLock(connection, InUse: false, refusal(new Probe(connection, TableNames(connection))));
            }
            catch
            {
                connection.Dispose();
                throw;
            }
        });
    }

    public static void Restore(RestoreLock locked, string sourcePath)
    {
        var destination = locked.Connection ?? throw new InvalidOperationException("the store was not locked");
        // The backup was read whole before; what fails now is the store's side (a full disk, a writer in the gap).
        Run(destination.DataSource, () =>
        {
            // backup_init refuses a destination inside a transaction; the gap until backup_step takes its own
            // exclusive lock is one call, and a writer there makes the step fail busy (the destination waits 0 ms).
            using (var rollback = destination.CreateCommand())
            {
                rollback.CommandText = "ROLLBACK";
                rollback.ExecuteNonQuery();
            }
            using var source = Open(sourcePath, SqliteOpenMode.ReadOnly, BusyMilliseconds);
            source.BackupDatabase(destination);
            // A backup is kept in rollback-journal mode; the store goes back to WAL, as EF Core creates it.
            SqliteCheck.Exec(destination.Handle!, "PRAGMA journal_mode = WAL");
        });
    }

    public static BackupContents Inspect(string path)
    {
        return Run(path, () =>
        {
            using var connection = Open(path, SqliteOpenMode.ReadOnly, BusyMilliseconds);
            var problems = new List<string>();
            using (var check = connection.CreateCommand())
            {
                check.CommandText = "PRAGMA integrity_check";
                using var reader = check.ExecuteReader();
                while (reader.Read()) problems.Add(reader.GetString(0));
            }
            var integrity = problems is ["ok"] ? "ok" : string.Join("; ", problems.Take(5));
            var tables = TableNames(connection);
            var counts = tables.Where(t => t != "__EFMigrationsLock").Select(t => new TableRows(t, Count(connection, t))).ToList();
            var migrations = new List<string>();
            if (tables.Contains("__EFMigrationsHistory"))
            {
                using var history = connection.CreateCommand();
                history.CommandText = "SELECT MigrationId FROM __EFMigrationsHistory ORDER BY MigrationId";
                using var reader = history.ExecuteReader();
                while (reader.Read()) migrations.Add(reader.GetString(0));
            }
            connection.Close();
            return new BackupContents(new FileInfo(path).Length, integrity, migrations, counts);
        });
    }

    public static void ReleaseFile(SqliteConnection? connection) => connection?.Dispose();

    private static SqliteConnection Open(string path, SqliteOpenMode mode, int busyMilliseconds)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = mode, Pooling = false }.ToString());
        connection.Open();
        SqliteCheck.Exec(connection.Handle!, $"PRAGMA busy_timeout = {busyMilliseconds}");
        return connection;
    }

    private static HashSet<string> TableNames(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name";
        using var reader = command.ExecuteReader();
        var names = new HashSet<string>(StringComparer.Ordinal);
        while (reader.Read()) names.Add(reader.GetString(0));
        return names;
    }

    private static long Count(SqliteConnection connection, string table)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT COUNT(*) FROM \"{table.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";
        return (long)command.ExecuteScalar()!;
    }

    private static void Run(string path, Action action) => Run(path, () => { action(); return 0; });

    // SQLite's errors become StoreExceptions whose code says what went wrong (full disk, not a database, busy...).
    private static T Run<T>(string path, Func<T> action)
    {
        try
        {
            return action();
        }
        catch (SqliteException e)
        {
            throw new StoreException($"{path}: {Describe(e)}", e.SqliteErrorCode);
        }
    }

    private static string Describe(SqliteException e) => (e.SqliteErrorCode & 0xff) switch
    {
        raw.SQLITE_FULL => "the disk is full: free space or choose another disk",
        raw.SQLITE_CANTOPEN or raw.SQLITE_PERM or raw.SQLITE_READONLY or raw.SQLITE_IOERR =>
            $"cannot be opened or written here ({e.Message.TrimEnd('.')}): check the folder exists and is writable",
        raw.SQLITE_NOTADB => "is not a SQLite database",
        raw.SQLITE_CORRUPT => "is damaged (SQLite reports it malformed)",
        raw.SQLITE_BUSY or raw.SQLITE_LOCKED => "is in use by another process: try again when it has finished",
        _ => e.Message,
    };
}

file sealed class Probe(SqliteConnection connection, HashSet<string> tables) : IStoreProbe
{
    public bool HasTable(string table) => tables.Contains(table);

    public long Count(string table)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT COUNT(*) FROM \"{table.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";
        return (long)command.ExecuteScalar()!;
    }

    public IReadOnlyList<string> Strings(string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var values = new List<string>();
        while (reader.Read()) if (!reader.IsDBNull(0)) values.Add(reader.GetString(0));
        return values;
    }
}

// The store held exclusively for a restore (Connection null when it was busy).
internal sealed record RestoreLock(SqliteConnection? Connection, bool InUse, string? Refusal) : IDisposable
{
    public void Dispose() => SqliteBackup.ReleaseFile(Connection);
}
