using System.Text;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using Workbench.Core.Playbook;
using Workbench.Core.Segments;
using Workbench.Core.Users;
using Workbench.Features.Playbook;
using Workbench.Tests.Core.Segments;
using Workbench.Tests.TestSupport;

namespace Workbench.Tests.Components.Playbook;

// The library over the starter playbook of QualityFixture's store (94 plays, all active; PlayPreviewPageTests says how).
public sealed class PlaybookPageTests : StorePageContext
{
    private PlaybookFile _starter = null!;

    protected override TimeProvider? Clock => new FixedTime(PlayPreviewPageTests.At);

    protected override async Task ArrangeAsync(TestStore store)
    {
        await QualityFixture.LoadAsync(store, plant: false);
        Use<PlaybookStore>();
        Use<SegmentService>();
        _starter = await store.Services.GetRequiredService<PlaybookPreviewService>().StarterAsync(default);
        var seeded = await store.Services.GetRequiredService<PlaybookStore>().SeedAsync(_starter, "test", default);
        Assert.True(seeded is { Imported: true });
    }

    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);
    private IRenderedComponent<MudPopoverProvider>? _popovers;

    private IRenderedComponent<PlaybookPage> Open(string query = "")
    {
        Services.GetRequiredService<NavigationManager>().NavigateTo("/playbook" + query);
        _popovers ??= Render<MudPopoverProvider>();
        var page = Render<PlaybookPage>();
        page.WaitForAssertion(() => Assert.NotEqual("", page.Find("[data-testid=playbook-total]").TextContent), Wait);
        return page;
    }

    private static Task Choose<T>(IRenderedComponent<PlaybookPage> page, string testId, T value) => page.InvokeAsync(() =>
        page.FindComponents<MudSelect<T>>().Single(s => s.Instance.UserAttributes.TryGetValue("data-testid", out var id) && (string?)id == testId)
            .Instance.ValueChanged.InvokeAsync(value));

    [Fact]
    public async Task Filters_AreAppliedByTheStore_AndTheCountFollows()
    {
        var page = Open();
        Assert.Equal("94 plays", page.Find("[data-testid=playbook-total]").TextContent);
        Assert.Equal(25, page.FindAll("[data-testid=play-row-link]").Count);

        // Counted in the starter file itself, independently of the store's SQL.
        var sms = _starter.Plays.Count(p => p.Channels.Contains("sms"));
        await Choose<string>(page, "filter-channel", "sms");
        page.WaitForAssertion(() => Assert.Equal($"{sms} plays", page.Find("[data-testid=playbook-total]").TextContent), Wait);

        await Choose<PlayStatus?>(page, "filter-status", PlayStatus.Draft);
        page.WaitForAssertion(() => Assert.Equal("0 plays", page.Find("[data-testid=playbook-total]").TextContent), Wait);
        Assert.Equal("No play matches these filters.", page.Find("[data-testid=playbook-empty]").TextContent);
    }

    [Fact]
    public void Query_FromTheContentGapMatrix_FiltersByObjectiveAndChannel()
    {
        var winBack = StarterLibrary.UseCases.Where(u => u.Objective == Objective.WinBack).Select(u => u.Id).ToHashSet();
        var expected = _starter.Plays.Count(p => winBack.Contains(p.UseCaseId) && p.Channels.Contains("email"));

        var page = Open("?objective=win_back&channel=email");

        page.WaitForAssertion(() => Assert.Equal($"{expected} plays", page.Find("[data-testid=playbook-total]").TextContent), Wait);
    }

    [Fact]
    public async Task Clone_MakesADraftCopy_AndOpensIt()
    {
        SignInAs("maria", Roles.Marketer);
        var page = Open("?channel=push");
        var first = page.FindAll("[data-testid=play-row-link]")[0].GetAttribute("href")!.Split('/').Last();

        await page.InvokeAsync(() => page.FindAll("[data-testid=clone-play]")[0].Click());

        page.WaitForAssertion(() => Assert.EndsWith($"/playbook/plays/{first}-copy", Services.GetRequiredService<NavigationManager>().Uri), Wait);
        var copy = await Store.Services.GetRequiredService<PlaybookStore>().GetAsync($"{first}-copy", default);
        Assert.Equal((PlayStatus.Draft, "maria"), (copy!.Status, copy.Owner));
        Assert.StartsWith("Copy of ", copy.Name);
    }

    [Fact]
    public async Task StatusChange_ActiveToRetired_IsSavedAndSaid()
    {
        SignInAs("maria", Roles.Marketer);
        var page = Open("?channel=app");
        var id = page.FindAll("[data-testid=play-row-link]")[0].GetAttribute("href")!.Split('/').Last();

        await page.InvokeAsync(() => page.FindAll("[data-testid=status-menu] button")[0].Click());
        var popovers = _popovers!;
        popovers.WaitForAssertion(() => popovers.Find($"[data-testid=status-to-{PlayStatus.Retired}]"), Wait);
        await page.InvokeAsync(() => popovers.Find($"[data-testid=status-to-{PlayStatus.Retired}]").Click());

        page.WaitForAssertion(() => Assert.Contains("is now retired (version 2)", page.Find("[data-testid=playbook-message]").TextContent), Wait);
        Assert.Equal(PlayStatus.Retired, (await Store.Services.GetRequiredService<PlaybookStore>().GetAsync(id, default))!.Status);
    }

    [Fact]
    public void Viewer_ReadsTheLibrary_WithoutNewImportCloneOrStatus()
    {
        SignInAs("vic", Roles.Viewer);
        var page = Open();
        Assert.Empty(page.FindAll("[data-testid=new-play]"));
        Assert.Empty(page.FindAll("[data-testid=import-playbook]"));
        Assert.Empty(page.FindAll("[data-testid=clone-play]"));
        Assert.Empty(page.FindAll("[data-testid=status-menu]"));
        Assert.NotEmpty(page.FindAll("[data-testid=preview-play]"));
        Assert.Equal("api/playbook/export.json", page.Find("[data-testid=export-playbook]").GetAttribute("href"));
    }

    [Fact]
    public async Task ImportProblems_FromTheStore_AreShownWithTheirLine_AndNothingIsImported()
    {
        const string Bad = "{\n  \"format\": 1,\n  \"useCases\": [],\n  \"plays\": [ { \"colour\": \"red\" } ]\n}";
        var result = await Store.Services.GetRequiredService<PlaybookStore>().ImportAsync(new MemoryStream(Encoding.UTF8.GetBytes(Bad)), "bad.json", "maria", default);

        var view = Render<PlaybookImportResultView>(p => p.Add(x => x.FileName, "bad.json").Add(x => x.Result, result));

        Assert.Contains("Nothing imported from bad.json", view.Markup);
        Assert.Contains("line 4", view.Find("[data-testid=import-problem]").TextContent);
        Assert.Equal(94, (await Store.Services.GetRequiredService<PlaybookStore>().ListAsync(new PlayFilter(), default)).Total);
    }
}
