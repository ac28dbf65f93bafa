using System.Data.Common;

namespace Workbench.Core.Data.Store.Sqlite;

// secure_delete, free-page scrubbing and a truncating WAL checkpoint: what SecureErase asks of SQLite.
internal static class SqliteSecureErase
{
    private const long ChunkBytes = 16L << 20;

    // A connection of its own (not pooled) with secure_delete on: content freed while it runs is overwritten with zeros.
    public static async Task<DbConnection> OpenAsync(StoreLocation store, CancellationToken ct)
    {
        var connection = await StoreSql.OpenDedicatedAsync(store, ct);
        await ExecAsync(connection, null, "PRAGMA secure_delete = ON", ct);
        return connection;
    }

    // Free pages keep whatever they held when they were freed without secure_delete (a dropped index rebuilt by a large
    // import, deleted rows): they are taken up by zero-filled blobs and freed again, so every free page is zeros.
    // Returns the number of free pages overwritten.
    public static async Task<long> ScrubFreePagesAsync(DbConnection connection, DbTransaction tx, CancellationToken ct)
    {
        var free = await ScalarAsync(connection, tx, "PRAGMA freelist_count", ct);
        if (free == 0) return 0;
        var bytes = free * await ScalarAsync(connection, tx, "PRAGMA page_size", ct);
        await ExecAsync(connection, tx, "CREATE TABLE wb_scrub (b BLOB)", ct);
        for (var left = bytes; left > 0; left -= ChunkBytes)
        {
            await using var insert = connection.Command("INSERT INTO wb_scrub VALUES (zeroblob($n))", ("$n", Math.Min(left, ChunkBytes)));
            insert.Transaction = tx;
            await insert.ExecuteNonQueryAsync(ct);
        }
        await ExecAsync(connection, tx, "DROP TABLE wb_scrub", ct);
        return free;
    }

    // Copies the WAL into the database file and truncates it to nothing. False when readers kept it from completing.
    public static async Task<bool> CheckpointAsync(DbConnection connection, CancellationToken ct)
    {
        await using var command = connection.Command("PRAGMA wal_checkpoint(TRUNCATE)");
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) && reader.GetInt64(0) == 0;
    }

    private static async Task<long> ScalarAsync(DbConnection connection, DbTransaction? tx, string sql, CancellationToken ct)
    {
        await using var command = connection.Command(sql);
        command.Transaction = tx;
        return Convert.ToInt64(await command.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task ExecAsync(DbConnection connection, DbTransaction? tx, string sql, CancellationToken ct)
    {
        await using var command = connection.Command(sql);
        command.Transaction = tx;
        await command.ExecuteNonQueryAsync(ct);
    }
}
