using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Workbench.Core.Customers;
using Workbench.Core.Data;

namespace Workbench.Core.Import;

public sealed record StoreInitializerOptions(bool LoadSampleData, string? SampleDataDirectory);

// What comes with the sample data beyond its CSV files (the starter playbook). Runs on every start of a store that
// holds the sample data, so each seed writes only what is missing and does nothing the second time.
public interface ISampleDataSeed
{
    Task SeedAsync(CancellationToken ct);
}

// Applies migrations; on first start with an empty store, loads sample-data through the ordinary import, then the seeds.
public sealed class StoreInitializer(
    IDbContextFactory<WorkbenchDbContext> dbFactory,
    ImportService imports,
    StoreLocation store,
    IEnumerable<ISampleDataSeed> seeds,
    ILogger<StoreInitializer> logger)
{
    public const string SampleDataUser = "sample-data";

    public static readonly IReadOnlyList<ImportKind> LoadOrder =
        [ImportKind.Customers, ImportKind.Products, ImportKind.Transactions, ImportKind.Events, ImportKind.Consents];

    public async Task InitializeAsync(StoreInitializerOptions options, CancellationToken ct)
    {
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            await db.Database.MigrateAsync(ct);
        }
        await CustomerSchema.EnsureAsync(store, ct);
        await imports.RecoverInterruptedAsync(ct);

        if (!options.LoadSampleData || options.SampleDataDirectory is null) return;
        var summary = await imports.SummaryAsync(ct);
        if (summary.IsEmpty && summary.LastImports.Count == 0) await LoadSampleDataAsync(options.SampleDataDirectory, ct);
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            if (!await db.ImportRuns.AnyAsync(r => r.UserName == SampleDataUser, ct)) return;
        }
        foreach (var seed in seeds) await seed.SeedAsync(ct);
    }

    private async Task LoadSampleDataAsync(string directory, CancellationToken ct)
    {
        logger.LogInformation("Empty store: loading sample data from {Directory}", directory);
        // All five files first, then the work after an import once: a quality snapshot taken after the customers alone
        // would show every later file's checks as a dip in the trend.
        var files = LoadOrder
            .Select(kind => Path.Combine(directory, ImportSchemas.For(kind).FileName))
            .Zip(LoadOrder)
            .Where(f => File.Exists(f.First))
            .Select(f => ((Func<Stream>)(() => File.OpenRead(f.First)),
                new ImportRequest(f.Second, Path.GetFileName(f.First), ImportMode.SkipInvalid, SampleDataUser, new FileInfo(f.First).Length)))
            .ToList();
        foreach (var result in await imports.ImportAllAsync(files, ct)) logger.LogInformation("{Summary}", result.Summary);
    }
}

public static class SampleDataLocator
{
    // The sample-data folder of the repository: looked for upwards from the start folder and the app's folder.
    public static string? Find(string startDirectory)
    {
        foreach (var start in new[] { startDirectory, AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "sample-data");
                if (File.Exists(Path.Combine(candidate, "customers.csv"))) return candidate;
            }
        }
        return null;
    }
}
