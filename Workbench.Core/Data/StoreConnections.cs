using System.Data.Common;

namespace Workbench.Core.Data;

// Provider-neutral SQL on the store (System.Data.Common): for the set-based statements of the jobs, which speak of
// tables and rows, not of SQLite.
public static class StoreConnections
{
    public static async Task<DbConnection> OpenAsync(StoreLocation store, CancellationToken ct) => await StoreSql.OpenAsync(store, ct);

    public static DbCommand Sql(this DbConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters) command.Parameters.Add(Parameter(command, name, value));
        return command;
    }

    public static DbParameter Parameter(DbCommand command, string name, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value ?? DBNull.Value;
        return parameter;
    }

    public static async Task<int> ExecuteAsync(this DbConnection connection, string sql, CancellationToken ct, params (string Name, object? Value)[] parameters)
    {
        await using var command = connection.Sql(sql, parameters);
        return await command.ExecuteNonQueryAsync(ct);
    }

    public static async Task<T> ScalarAsync<T>(this DbConnection connection, string sql, CancellationToken ct, params (string Name, object? Value)[] parameters)
    {
        await using var command = connection.Sql(sql, parameters);
        var value = await command.ExecuteScalarAsync(ct);
        return value is null or DBNull ? default! : (T)Convert.ChangeType(value, typeof(T), System.Globalization.CultureInfo.InvariantCulture);
    }

    // The write lock is taken up front, so the transaction never fails half-way on a busy store.
    public static Task<DbTransaction> BeginWriteAsync(this DbConnection connection, CancellationToken ct) =>
        Store.StoreProvider.BeginWriteAsync(connection, ct);
}
