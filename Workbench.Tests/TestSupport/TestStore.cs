using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Workbench.Core;
using Workbench.Core.Audit;
using Workbench.Core.Privacy;
using Workbench.Core.Data;
using Workbench.Core.Import;
using Workbench.Core.Users;

namespace Workbench.Tests.TestSupport;

// A real SQLite file in a temp folder, migrated, with Core's services over it.
public sealed class TestStore : IAsyncDisposable
{
    private TestStore(string directory, ServiceProvider services)
    {
        Directory = directory;
        Services = services;
    }

    public string Directory { get; }
    public ServiceProvider Services { get; }
    public StoreLocation Location => Services.GetRequiredService<StoreLocation>();
    public ImportService Imports => Services.GetRequiredService<ImportService>();
    public AuditService Audit => Services.GetRequiredService<AuditService>();
    public UserService Users => Services.GetRequiredService<UserService>();
    public ApiTokenService Tokens => Services.GetRequiredService<ApiTokenService>();
    public CustomerPrivacyService Privacy => Services.GetRequiredService<CustomerPrivacyService>();
    public string DatabasePath => Location.DatabasePath;

    public static async Task<TestStore> CreateAsync(TimeProvider? clock = null)
    {
        var directory = Path.Combine(Path.GetTempPath(), "wb-test-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(directory);
        var collection = new ServiceCollection()
            .AddLogging(b => b.SetMinimumLevel(LogLevel.Warning))
            .AddWorkbenchCore(StoreLocation.Resolve(null, directory));
        if (clock is not null) collection.AddSingleton(clock);
        var services = collection.BuildServiceProvider();
        await services.GetRequiredService<StoreInitializer>().InitializeAsync(new StoreInitializerOptions(false, null), CancellationToken.None);
        return new TestStore(directory, services);
    }

    public Task<ImportResult> ImportAsync(ImportKind kind, string csv, ImportMode mode = ImportMode.AllOrNothing,
        IProgress<ImportProgress>? progress = null, CancellationToken ct = default) =>
        ImportAsync(kind, new MemoryStream(Encoding.UTF8.GetBytes(csv)), mode, progress, ct);

    public Task<ImportResult> ImportAsync(ImportKind kind, Stream csv, ImportMode mode = ImportMode.AllOrNothing,
        IProgress<ImportProgress>? progress = null, CancellationToken ct = default) =>
        Imports.ImportAsync(csv, new ImportRequest(kind, $"{kind.ToString().ToLowerInvariant()}.csv", mode, "test",
            csv.CanSeek ? csv.Length : null), progress, ct);

    // The repository's sample-data files of these kinds, imported as the app does on first start (skipping invalid rows).
    public async Task ImportSampleAsync(params ImportKind[] kinds)
    {
        var sample = Path.Combine(AppFixture.RepositoryRoot, "sample-data");
        foreach (var kind in kinds)
        {
            await using var file = File.OpenRead(Path.Combine(sample, ImportSchemas.For(kind).FileName));
            await ImportAsync(kind, file, ImportMode.SkipInvalid);
        }
    }

    public async Task<List<string>> RowsAsync(string sql)
    {
        await using var connection = new SqliteConnection(Location.ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
        {
            var fields = new string[reader.FieldCount];
            for (var i = 0; i < fields.Length; i++) fields[i] = reader.IsDBNull(i) ? "∅" : Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture)!;
            rows.Add(string.Join("|", fields));
        }
        return rows;
    }

    public async Task<long> CountAsync(string table) => long.Parse((await RowsAsync($"SELECT COUNT(*) FROM {table}"))[0]);

    // Every row of every data table, for before/after comparisons.
    public async Task<string> SnapshotAsync()
    {
        var sb = new StringBuilder();
        foreach (var table in new[] { "customers", "products", "order_lines", "events", "consents" })
        {
            sb.AppendLine(table);
            foreach (var row in await RowsAsync($"SELECT * FROM {table} ORDER BY 1, 2")) sb.AppendLine(row);
        }
        return sb.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        SqliteConnection.ClearAllPools();
        try { System.IO.Directory.Delete(Directory, recursive: true); } catch (IOException) { }
    }
}

public static class Fixtures
{
    public const string Customers = """
        customer_id,first_name,last_name,email,preferred_channel,time_zone,loyalty_points,signup_date
        C1,Anna,Smith,anna@example.com,email,Europe/London,120,2025-01-10
        C2,Bob,Jones,bob@example.com,sms,Europe/Paris,0,2025-02-11
        C3,Cleo,Brown,,app,,,
        """;

    public const string Products = """
        sku,name,category,price,unit_cost
        P1,Green tea,Grocery,3.50,1.20
        P2,Sofa,Furniture,499.00,
        P3,Curtains,Home,45.00,20.00
        """;
}

// A clock standing still at the given instant (UTC).
public sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}

// A clock that moves only when told to.
public sealed class MovableClock(DateTimeOffset start) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = start;

    public override DateTimeOffset GetUtcNow() => Now;

    public void Advance(TimeSpan by) => Now += by;
}
