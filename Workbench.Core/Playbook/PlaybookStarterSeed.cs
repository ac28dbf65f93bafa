using Workbench.Core.Import;

namespace Workbench.Core.Playbook;

// The starter library, made for the store's categories and regions, comes with the sample data: loaded into an empty
// playbook, never over plays someone has written or imported.
public sealed class PlaybookStarterSeed(PlaybookStore playbook, PlaybookPreviewService previews) : ISampleDataSeed
{
    public async Task SeedAsync(CancellationToken ct)
    {
        if (await playbook.IsEmptyAsync(ct)) await playbook.SeedAsync(await previews.StarterAsync(ct), StoreInitializer.SampleDataUser, ct);
    }
}
