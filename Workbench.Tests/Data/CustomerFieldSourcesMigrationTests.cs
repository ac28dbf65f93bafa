using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;
using Workbench.Core;
using Workbench.Core.Customers;
using Workbench.Core.Data;
using Workbench.Core.Import;

namespace Workbench.Tests.Data;

// A store made before per-field provenance, migrated: the rows it gets are the ones the profile's row-level source
// implied, and only where that source was not the customer's first import.
public sealed class CustomerFieldSourcesMigrationTests : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("wb-migration-").FullName;
    private ServiceProvider _services = null!;

    public Task InitializeAsync()
    {
        _services = new ServiceCollection().AddLogging().AddWorkbenchCore(StoreLocation.Resolve(null, _directory)).BuildServiceProvider();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Migrate_CustomersChangedSinceTheirFirstImport_GetThatImportPerNonEmptyField()
    {
        var factory = _services.GetRequiredService<IDbContextFactory<WorkbenchDbContext>>();
        await using (var db = await factory.CreateDbContextAsync())
        {
            await db.GetService<IMigrator>().MigrateAsync("20261201092732_JobPipeline");
            db.ImportRuns.AddRange(
                new ImportRun { Id = 1, FileName = "a.csv", UserName = "t", Kind = ImportKind.Customers, StartedAt = new DateTime(2026, 11, 1, 9, 0, 0, DateTimeKind.Utc) },
                new ImportRun { Id = 2, FileName = "b.csv", UserName = "t", Kind = ImportKind.Customers, StartedAt = new DateTime(2026, 11, 15, 9, 0, 0, DateTimeKind.Utc) });
            // K1 came with import 1 and was changed by import 2 (which field, the old store did not say); K2 never changed.
            db.Customers.AddRange(
                new Customer { CustomerId = "K1", FirstName = "Ann", Email = "ann@b.example", ImportId = 2, CreatedImportId = 1, SeenImportId = 2, Revision = 1 },
                new Customer { CustomerId = "K2", FirstName = "Bo", Email = "bo@a.example", ImportId = 1, CreatedImportId = 1, SeenImportId = 1 });
            await db.SaveChangesAsync();
        }

        await using (var db = await factory.CreateDbContextAsync())
        {
            await db.Database.MigrateAsync();
            var rows = await db.CustomerFieldSources.AsNoTracking().OrderBy(s => s.CustomerId).ThenBy(s => s.Field)
                .Select(s => $"{s.CustomerId}|{s.Field}|{s.ImportRunId}|{s.ChangedAt:yyyy-MM-dd}").ToListAsync();
            Assert.Equal(["K1|email|2|2026-11-15", "K1|first_name|2|2026-11-15"], rows);
            var withoutRowid = await db.Database.SqlQueryRaw<string>(
                "SELECT sql AS Value FROM sqlite_master WHERE name = 'customer_field_sources'").SingleAsync();
            Assert.EndsWith("WITHOUT ROWID", withoutRowid.Trim());
        }
    }
}
