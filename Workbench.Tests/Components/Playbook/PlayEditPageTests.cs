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

// The edit and new pages over the starter playbook of QualityFixture's store (PlayPreviewPageTests).
public sealed class PlayEditPageTests : StorePageContext
{
    protected override TimeProvider? Clock => new FixedTime(PlayPreviewPageTests.At);

    protected override async Task ArrangeAsync(TestStore store)
    {
        await QualityFixture.LoadAsync(store, plant: false);
        Use<PlaybookStore>();
        Use<SegmentService>();
        var starter = await store.Services.GetRequiredService<PlaybookPreviewService>().StarterAsync(default);
        Assert.True(await store.Services.GetRequiredService<PlaybookStore>().SeedAsync(starter, "test", default) is { Imported: true });
        PlayEditor.Debounce = TimeSpan.Zero;
    }

    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);
    private bool _popovers;
    private PlaybookStore Plays => Store.Services.GetRequiredService<PlaybookStore>();
    private NavigationManager Navigation => Services.GetRequiredService<NavigationManager>();

    private IRenderedComponent<PlayEditPage> Open(string? id, string query = "")
    {
        Navigation.NavigateTo(id is null ? "/playbook/new" + query : $"/playbook/plays/{id}");
        if (!_popovers) Render<MudPopoverProvider>();
        _popovers = true;
        var page = id is null ? Render<PlayEditPage>() : Render<PlayEditPage>(p => p.Add(x => x.Id, id));
        page.WaitForAssertion(() => Assert.Empty(page.FindAll(".mud-progress-linear")), Wait);
        return page;
    }

    [Fact]
    public async Task New_FromATemplateWithObjectiveAndChannel_SavesADraft_AndOpensIt()
    {
        SignInAs("maria", Roles.Marketer);
        var page = Open(null, "?template=birthday-gold&objective=win_back&channel=push");
        Assert.Contains("Started from “Birthday treat for Gold members”", page.Find("[data-testid=template-note]").TextContent);
        Assert.Equal("Birthday treat for Gold members (new)", page.Find("input[data-testid=play-name]").GetAttribute("value"));
        page.WaitForAssertion(() => page.Find("[data-testid=content-push]"), Wait);

        await page.InvokeAsync(() => page.Find("[data-testid=save-play]").Click());

        page.WaitForAssertion(() => Assert.Contains("/playbook/plays/", Navigation.Uri), Wait);
        var id = Navigation.Uri.Split('/').Last();
        var saved = (await Plays.GetAsync(id, default))!;
        Assert.Equal((PlayStatus.Draft, "maria", "uc-win-back", 1), (saved.Status, saved.Owner, saved.UseCaseId, saved.Version));
        Assert.Equal(["email", "sms", "push"], saved.Channels);
    }

    [Fact]
    public async Task Save_SomeoneSavedMeanwhile_IsRefusedNamingTheCurrentVersion()
    {
        SignInAs("maria", Roles.Marketer);
        var page = Open("birthday-gold");
        Assert.Contains("birthday-gold · version 1", page.Find("[data-testid=play-meta]").TextContent);
        var theirs = (await Plays.GetAsync("birthday-gold", default))!;
        Assert.NotNull((await Plays.UpdateAsync(theirs with { Priority = 10 }, 1, "bob", default)).Saved);

        await page.InvokeAsync(() => page.Find("input[data-testid=play-name]").Input("Mine"));
        await page.InvokeAsync(() => page.Find("[data-testid=save-play]").Click());

        page.WaitForAssertion(() => Assert.Contains("Not saved: someone saved version 2 while you edited version 1.", page.Find("[data-testid=save-problem]").TextContent), Wait);
        await page.InvokeAsync(() => page.Find("[data-testid=reload-play]").Click());
        page.WaitForAssertion(() => Assert.Contains("version 2", page.Find("[data-testid=play-meta]").TextContent), Wait);
        Assert.Equal("Birthday treat for Gold members", page.Find("input[data-testid=play-name]").GetAttribute("value"));
    }

    [Fact]
    public async Task Save_Edit_AddsAVersion_AndAnActivePlayWithAnErrorIsRefused()
    {
        SignInAs("maria", Roles.Marketer);
        var page = Open("birthday-gold");
        await page.InvokeAsync(() => page.Find("input[data-testid=play-name]").Input("Birthday treat, Gold"));
        await page.InvokeAsync(() => page.Find("[data-testid=save-play]").Click());
        page.WaitForAssertion(() => Assert.Equal("Saved as version 2 (active).", page.Find("[data-testid=save-ok]").TextContent), Wait);
        Assert.Equal([2, 1], page.FindAll("[data-testid=play-version]").Select(v => int.Parse(v.GetAttribute("data-version")!)));

        await page.InvokeAsync(() => page.Find("input[data-testid=content-email-0-subject]").Input("Hi {{ frist_name }}"));
        await page.InvokeAsync(() => page.Find("[data-testid=save-play]").Click());
        page.WaitForAssertion(() => Assert.Contains("unknown variable 'frist_name'", page.Find("[data-testid=save-problem]").TextContent), Wait);
        Assert.Equal(2, (await Plays.GetAsync("birthday-gold", default))!.Version);
    }

    [Fact]
    public void Viewer_ReadsAPlay_WithoutSave_AndCannotOpenNew()
    {
        SignInAs("vic", Roles.Viewer);
        var page = Open("birthday-gold");
        Assert.Empty(page.FindAll("[data-testid=save-play]"));
        Assert.NotNull(page.Find("[data-testid=read-only-note]"));
        Assert.NotNull(page.Find("input[data-testid=play-name]").GetAttribute("readonly"));

        var create = Open(null);
        Assert.Contains("Marketers and Admins create them", create.Find("[data-testid=new-not-allowed]").TextContent);
    }

    [Fact]
    public void Unknown_SaysSo()
    {
        var page = Open("no-such-play");
        Assert.Contains("There is no play 'no-such-play'", page.Find("[data-testid=play-not-found]").TextContent);
    }
}
