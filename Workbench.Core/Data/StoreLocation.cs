using Microsoft.Data.Sqlite;

namespace Workbench.Core.Data;

// Where the SQLite store lives, and the folder beside it for files the app keeps (rejected rows).
public sealed record StoreLocation(string ConnectionString)
{
    public const string DefaultRelativePath = "data/workbench.db";

    public string DatabasePath => new SqliteConnectionStringBuilder(ConnectionString).DataSource;

    public string FilesDirectory =>
        Path.Combine(Path.GetDirectoryName(Path.GetFullPath(DatabasePath)) ?? ".", "workbench-files");

    // A configured connection string wins; --db names a file; otherwise data/workbench.db under baseDirectory.
    public static StoreLocation Resolve(string? configuredConnectionString, string baseDirectory, string? databaseFile = null)
    {
        string connectionString;
        if (!string.IsNullOrWhiteSpace(databaseFile))
        {
            connectionString = new SqliteConnectionStringBuilder { DataSource = Path.GetFullPath(databaseFile) }.ToString();
        }
        else if (!string.IsNullOrWhiteSpace(configuredConnectionString))
        {
            var builder = new SqliteConnectionStringBuilder(configuredConnectionString);
            if (!Path.IsPathRooted(builder.DataSource) && builder.DataSource != ":memory:")
            {
                builder.DataSource = Path.GetFullPath(Path.Combine(baseDirectory, builder.DataSource));
            }
            connectionString = builder.ToString();
        }
        else
        {
            connectionString = new SqliteConnectionStringBuilder
            {
                DataSource = Path.GetFullPath(Path.Combine(baseDirectory, DefaultRelativePath)),
            }.ToString();
        }

        var location = new StoreLocation(connectionString);
        var directory = Path.GetDirectoryName(Path.GetFullPath(location.DatabasePath));
        if (!string.IsNullOrEmpty(directory)) Directory.CreateDirectory(directory);
        return location;
    }
}
