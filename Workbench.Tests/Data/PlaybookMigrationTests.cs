using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;
using Workbench.Core;
using Workbench.Core.Customers;
using Workbench.Core.Data;
using Workbench.Core.Playbook;

namespace Workbench.Tests.Data;

// A store made before the playbook had tables (the last migration before it), opened by this version: the
// migration adds the tables without touching what was there, and the playbook works on it.
public sealed class PlaybookMigrationTests : IAsyncLifetime
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
    public async Task Migrate_AStoreOfTheVersionBefore_KeepsItsRows_AndTheKeyedHistoryTablesHaveNoRowid()
    {
        var factory = _services.GetRequiredService<IDbContextFactory<WorkbenchDbContext>>();
        await using (var db = await factory.CreateDbContextAsync())
        {
            await db.GetService<IMigrator>().MigrateAsync("20261201115619_KpiMonths");
            db.Customers.Add(new Customer { CustomerId = "K1", FirstName = "Ann" });
            await db.SaveChangesAsync();
        }

        await using (var db = await factory.CreateDbContextAsync())
        {
            await db.Database.MigrateAsync();
            Assert.Equal("Ann", (await db.Customers.SingleAsync()).FirstName);
            foreach (var table in new[] { "contact_history", "points_history" })
            {
                var sql = await db.Database.SqlQuery<string>($"SELECT sql AS Value FROM sqlite_master WHERE name = {table}").SingleAsync();
                Assert.EndsWith("WITHOUT ROWID", sql.Trim());
            }
        }
        var playbook = _services.GetRequiredService<PlaybookStore>();
        var file = new PlaybookFile(1, [new UseCase("uc-1", "Welcome", Objective.Welcome, "first purchase", "repeat", "t", UseCaseStatus.Active)], []);
        var imported = await playbook.ImportAsync(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(PlaybookJson.Export(file))), "f.json", "t", default);
        Assert.True(imported.Imported, string.Join("; ", imported.Problems));
        Assert.Equal(["uc-1"], (await playbook.UseCasesAsync(default)).Select(u => u.Id));
    }
}
