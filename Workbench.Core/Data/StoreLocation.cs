using Workbench.Core.Data.Store;

namespace Workbench.Core.Data;

// Where the store lives, and the folder beside it for files the app keeps (rejected rows).
public sealed record StoreLocation(string ConnectionString)
{
    public const string DefaultRelativePath = "data/workbench.db";

    public string DatabasePath => StoreProvider.DataSourceOf(ConnectionString);

    public string FilesDirectory =>
        Path.Combine(Path.GetDirectoryName(Path.GetFullPath(DatabasePath)) ?? ".", "workbench-files");

    // Population-scale work: write sessions and streaming reads.
    public IBulkStore Bulk => StoreProvider.Bulk(ConnectionString);

    // EF Core on this store (CRUD).
    public void UseFor(Microsoft.EntityFrameworkCore.DbContextOptionsBuilder options) => StoreProvider.UseStore(options, ConnectionString);

    public static StoreLocation ForFile(string path) => new(StoreProvider.ForFile(Path.GetFullPath(path)));

    // A configured connection string wins; --db names a file; otherwise data/workbench.db under baseDirectory.
    public static StoreLocation Resolve(string? configuredConnectionString, string baseDirectory, string? databaseFile = null)
    {
        var location = !string.IsNullOrWhiteSpace(databaseFile) ? ForFile(databaseFile)
            : !string.IsNullOrWhiteSpace(configuredConnectionString) ? new StoreLocation(StoreProvider.Rooted(configuredConnectionString, baseDirectory))
            : ForFile(Path.Combine(baseDirectory, DefaultRelativePath));
        var directory = Path.GetDirectoryName(Path.GetFullPath(location.DatabasePath));
        if (!string.IsNullOrEmpty(directory)) Directory.CreateDirectory(directory);
        return location;
    }

    // Closes pooled connections, so the file can be deleted or replaced.
    public static void ReleaseConnections() => StoreProvider.ReleaseConnections();
}
