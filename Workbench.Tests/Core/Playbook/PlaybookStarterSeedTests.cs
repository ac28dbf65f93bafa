using Microsoft.Extensions.DependencyInjection;
using Workbench.Core.Audit;
using Workbench.Core.Import;
using Workbench.Core.Playbook;
using Workbench.Tests.TestSupport;

namespace Workbench.Tests.Core.Playbook;

public sealed class PlaybookStarterSeedTests
{
    // A store holding data imported as the sample data is (by "sample-data"): the start-up seeds the starter library
    // for its categories and regions, once.
    private static async Task<TestStore> SampleLikeStoreAsync()
    {
        var store = await TestStore.CreateAsync(new FixedClock(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero)));
        foreach (var (kind, csv) in new[] { (ImportKind.Customers, Fixtures.Customers), (ImportKind.Products, Fixtures.Products) })
        {
            var result = await store.Imports.ImportAsync(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(csv)),
                new ImportRequest(kind, kind + ".csv", ImportMode.AllOrNothing, StoreInitializer.SampleDataUser), null, default);
            Assert.True(result.Succeeded, result.Summary);
        }
        return store;
    }

    private static Task StartAsync(TestStore store) => store.Services.GetRequiredService<StoreInitializer>()
        .InitializeAsync(new StoreInitializerOptions(true, Path.Combine(AppFixture.RepositoryRoot, "sample-data")), default);

    [Fact]
    public async Task Start_AStoreWithTheSampleData_LoadsTheStarterLibraryForItsCategories_Once()
    {
        await using var store = await SampleLikeStoreAsync();
        var playbook = store.Services.GetRequiredService<PlaybookStore>();
        var expected = StarterLibrary.Generate(new StarterInputs(["Furniture", "Grocery", "Home"], [], new DateOnly(2026, 12, 1)));

        await StartAsync(store);
        var first = PlaybookJson.Export(await playbook.ExportAsync(default));
        var audit = await store.CountAsync("audit_entries");
        await StartAsync(store);

        // The sample experiment's seed adds its own use case and play after the starter library (SampleExperimentSeedTests).
        static string StarterOnly(PlaybookFile f) => PlaybookJson.Export(f with
        {
            UseCases = f.UseCases.Where(u => u.Id != Workbench.Core.Campaigns.SampleExperimentSeed.UseCase.Id).ToList(),
            Plays = f.Plays.Where(p => p.Id != Workbench.Core.Campaigns.SampleExperimentSeed.Play.Id).ToList(),
        });
        Assert.Equal(PlaybookJson.Export(expected), StarterOnly(PlaybookJson.Import(first).File!));
        Assert.Equal(first, PlaybookJson.Export(await playbook.ExportAsync(default)));
        Assert.Equal(audit, await store.CountAsync("audit_entries"));
        Assert.Equal(expected.Plays.Count + 1, (await playbook.ListAsync(new PlayFilter(Status: PlayStatus.Active), default)).Total);
        var history = Assert.Single(await playbook.HistoryAsync(expected.Plays[0].Id, default));
        Assert.Equal((StoreInitializer.SampleDataUser, "imported from starter library"), (history.ChangedBy, history.Summary));
    }

    [Fact]
    public async Task Start_APlaybookSomeoneFilled_IsLeftAlone_AndAStoreWithoutTheSampleDataGetsNoStarter()
    {
        await using var store = await SampleLikeStoreAsync();
        var playbook = store.Services.GetRequiredService<PlaybookStore>();
        var own = new PlaybookFile(1, [new UseCase("uc-own", "Own", Objective.Grow, "any", "sales", "ann", UseCaseStatus.Active)], []);
        Assert.True((await playbook.ImportAsync(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(PlaybookJson.Export(own))), "own.json", "ann", default)).Imported);
        await using var other = await TestStore.CreateAsync();
        await other.ImportAsync(ImportKind.Customers, Fixtures.Customers);

        await StartAsync(store);
        await StartAsync(other);

        Assert.Equal(PlaybookJson.Export(own), PlaybookJson.Export(await playbook.ExportAsync(default)));
        Assert.True(await other.Services.GetRequiredService<PlaybookStore>().IsEmptyAsync(default));
    }
}
