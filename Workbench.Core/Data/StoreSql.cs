using System.Globalization;
using Microsoft.Data.Sqlite;
using Workbench.Core.Quality;
using Workbench.Core.Import;

namespace Workbench.Core.Data;

// Plain SQL on the store for the read-heavy features: a connection with the app's SQL functions registered.
public static class StoreSql
{
    public static Task<SqliteConnection> OpenAsync(StoreLocation store, CancellationToken ct) => OpenAsync(store.ConnectionString, ct);

    // A connection of its own, outside the pool, for work that sets its own pragmas (page cache, synchronous): they end
    // with it instead of passing to the next user of a pooled connection.
    public static Task<SqliteConnection> OpenDedicatedAsync(StoreLocation store, CancellationToken ct) =>
        OpenAsync(new SqliteConnectionStringBuilder(store.ConnectionString) { Pooling = false }.ToString(), ct);

    private static async Task<SqliteConnection> OpenAsync(string connectionString, CancellationToken ct)
    {
        var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(ct);
        connection.CreateFunction("wb_valid_email", (string? email) => ContactRules.IsValidEmail(email) ? 1 : 0, isDeterministic: true);
        connection.CreateFunction("wb_valid_phone", (string? phone) => ContactRules.IsValidPhone(phone) ? 1 : 0, isDeterministic: true);
        connection.CreateFunction("wb_norm_phone", (string? phone, string? country) => ContactRules.NormalizePhone(phone, country), isDeterministic: true);
        await using (var pragma = connection.CreateCommand())
        {
            pragma.CommandText = "PRAGMA busy_timeout = 30000";
            await pragma.ExecuteNonQueryAsync(ct);
        }
        return connection;
    }

    public static SqliteCommand Command(this SqliteConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        return command;
    }

    public static string? Text(this SqliteDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);

    public static DateTime? Time(this SqliteDataReader r, int i) =>
        r.IsDBNull(i) ? null : DateTime.SpecifyKind(DateTime.Parse(r.GetString(i), CultureInfo.InvariantCulture), DateTimeKind.Utc);

    public static string Format(DateTime utc) => FieldParsers.FormatDateTime(utc);

    // Every column as invariant text (for generic record lists and CSV).
    public static string? AsText(this SqliteDataReader r, int i) => r.IsDBNull(i) ? null : r.GetValue(i) switch
    {
        double d => d.ToString("0.##", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        var v => v.ToString(),
    };
}
