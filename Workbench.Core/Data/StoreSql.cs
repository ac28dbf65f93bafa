using System.Data.Common;
using System.Globalization;
using Workbench.Core.Data.Store;

namespace Workbench.Core.Data;

// Plain parameterised SQL on the store for the read-heavy features, through ADO.NET's provider-neutral types: a
// connection with the app's SQL functions registered.
public static class StoreSql
{
    public static Task<DbConnection> OpenAsync(StoreLocation store, CancellationToken ct) => StoreProvider.OpenAsync(store.ConnectionString, true, ct);

    // A connection of its own, outside the pool, for work that changes its settings: they end with it.
    public static Task<DbConnection> OpenDedicatedAsync(StoreLocation store, CancellationToken ct) => StoreProvider.OpenAsync(store.ConnectionString, false, ct);

    // A read transaction that takes no write lock: the reads inside see one consistent store while an import commits.
    public static Task<DbTransaction> BeginReadAsync(this DbConnection connection, CancellationToken ct) => StoreProvider.BeginReadAsync(connection, ct);

    public static DbCommand Command(this DbConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        return command;
    }

    public static DbParameter AddWithValue(this DbParameterCollection parameters, string name, object? value)
    {
        var parameter = StoreProvider.Parameter(name, value switch
        {
            null => DBNull.Value,
            DateTime t => StoreTime.Format(t),
            DateOnly d => StoreTime.Format(d),
            _ => value,
        });
        parameters.Add(parameter);
        return parameter;
    }

    // Stops the running statement when ct is cancelled (a count the editor no longer needs); pair with WhenInterrupted.
    public static IDisposable InterruptOn(this DbConnection connection, CancellationToken ct) => StoreProvider.InterruptOn(connection, ct);

    public static async Task<T> WhenInterrupted<T>(Func<Task<T>> run, CancellationToken ct)
    {
        try
        {
            return await run();
        }
        catch (DbException e) when (StoreProvider.IsInterrupted(e) && ct.IsCancellationRequested)
        {
            throw new OperationCanceledException("the statement was cancelled", e, ct);
        }
    }

    public static string? Text(this DbDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);

    public static DateTime? Time(this DbDataReader r, int i) => r.IsDBNull(i) ? null : StoreTime.Parse(r.GetString(i));

    // Every column as invariant text (for generic record lists and CSV).
    public static string? AsText(this DbDataReader r, int i) => r.IsDBNull(i) ? null : r.GetValue(i) switch
    {
        double d => d.ToString("0.##", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        var v => v.ToString(),
    };
}
