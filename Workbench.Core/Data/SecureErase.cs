using System.Data.Common;
using Workbench.Core.Data.Store;

namespace Workbench.Core.Data;

// What an erasure needs from the store so the erased values are gone from the files, not only from the tables.
public static class SecureErase
{
    // A connection of its own (not pooled) on which content freed while it runs is overwritten with zeros.
    public static Task<DbConnection> OpenAsync(StoreLocation store, CancellationToken ct) => StoreProvider.OpenSecureEraseAsync(store, ct);

    // Free pages keep whatever they held when they were freed: they are overwritten so every free page is zeros.
    // Returns the number of free pages overwritten.
    public static Task<long> ScrubFreePagesAsync(DbConnection connection, DbTransaction tx, CancellationToken ct) =>
        StoreProvider.ScrubFreePagesAsync(connection, tx, ct);

    // Copies the log into the database file and truncates it. False when readers kept it from completing.
    public static Task<bool> CheckpointAsync(DbConnection connection, CancellationToken ct) => StoreProvider.CheckpointAsync(connection, ct);
}
