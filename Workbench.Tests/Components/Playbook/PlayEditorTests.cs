using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;
using Workbench.Core.Playbook;
using Workbench.Features.Playbook;
using Workbench.Tests.Core.Playbook;

namespace Workbench.Tests.Components.Playbook;

// The editor's checks as the author types: each message is the validator's, shown beside the field it is about.
public sealed class PlayEditorTests : BunitContext, IAsyncLifetime
{
    private static readonly PlayValidationContext Context = new(new HashSet<long> { 1, 2 }, new HashSet<string> { "uc-1" });
    private static readonly UseCase UseCase = new("uc-1", "Test use case", Objective.Grow, "any", "rate", "tester", UseCaseStatus.Active);
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);
    private Play? _changed;

    public Task InitializeAsync()
    {
        PlayEditor.Debounce = TimeSpan.Zero;
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
        Render<MudPopoverProvider>();
        return Task.CompletedTask;
    }

    public new async Task DisposeAsync() => await base.DisposeAsync();

    private IRenderedComponent<PlayEditor> Edit(Play play, bool readOnly = false) => Render<PlayEditor>(p => p
        .Add(x => x.Play, play)
        .Add(x => x.UseCases, [UseCase])
        .Add(x => x.Segments, [new SegmentOption(1, "Gold members"), new SegmentOption(2, "Londoners")])
        .Add(x => x.Validation, Context)
        .Add(x => x.ReadOnly, readOnly)
        .Add(x => x.PlayChanged, (Play changed) => _changed = changed));

    private static string Messages(IRenderedComponent<PlayEditor> editor, string field) =>
        string.Join(" | ", editor.FindAll($"[data-testid=field-message][data-field='{field}']").Select(m => m.TextContent.Trim()));

    [Fact]
    public async Task ValidPlay_SaysSo()
    {
        var editor = Edit(PlaybookFixture.Play());
        editor.WaitForAssertion(() => Assert.Contains("No problems", editor.Find("[data-testid=validation-ok]").TextContent), Wait);
    }

    [Fact]
    public async Task LiquidSyntaxError_ShownUnderTheHtml_WithLineAndColumn()
    {
        var editor = Edit(PlaybookFixture.Play());
        await editor.InvokeAsync(() => editor.Find("textarea[data-testid=content-email-0-html]").Input("<p>a</p>\n<p>b</p>\n<p>{{ first_name </p>"));

        editor.WaitForAssertion(() => Assert.Contains("(line 3, column", Messages(editor, "content[0].variants[0].html")), Wait);
        Assert.Contains("Liquid:", Messages(editor, "content[0].variants[0].html"));
        Assert.Contains("1 error(s)", editor.Find("[data-testid=validation-count]").TextContent);
        // The change went out to the host as it was typed.
        Assert.Equal("<p>a</p>\n<p>b</p>\n<p>{{ first_name </p>", _changed!.ContentFor("email")!.Variants[0].Html);
    }

    [Fact]
    public async Task UnknownVariable_NamedWithItsPlace()
    {
        var editor = Edit(PlaybookFixture.Play());
        await editor.InvokeAsync(() => editor.Find("input[data-testid=content-email-0-subject]").Input("Hi {{ frist_name }}"));

        // "Hi {{ " is 6 characters: the name starts in column 7 of line 1.
        editor.WaitForAssertion(() => Assert.Contains("unknown variable 'frist_name'", Messages(editor, "content[0].variants[0].subject")), Wait);
        Assert.Contains("(line 1, column 7)", Messages(editor, "content[0].variants[0].subject"));
    }

    [Fact]
    public async Task LongSms_ShowsLengthAndSegments_AndWarns()
    {
        var editor = Edit(PlaybookFixture.Play());
        await editor.InvokeAsync(() => editor.Find("textarea[data-testid=content-sms-0-text]").Input(new string('a', 200)));

        // 200 GSM-7 characters: more than 160, so split in segments of 153: 2.
        editor.WaitForAssertion(() => Assert.Contains("200 characters · GSM-7 · 200 units · 2 segments", editor.Find("[data-testid=sms-sample-measure]").TextContent), Wait);
        var warning = Messages(editor, "content[1].variants[0].text");
        Assert.Contains("2 segments", warning);
        Assert.Equal("Warning", editor.Find("[data-testid=field-message][data-field='content[1].variants[0].text']").GetAttribute("data-severity"));

        await editor.InvokeAsync(() => editor.Find("textarea[data-testid=content-sms-0-text]").Input("Hi ☃"));
        editor.WaitForAssertion(() => Assert.Contains("UCS-2", editor.Find("[data-testid=sms-sample-measure]").TextContent), Wait);
    }

    [Fact]
    public async Task AllowedChannelWithoutContent_IsAnError_UntilContentIsAdded()
    {
        var editor = Edit(PlaybookFixture.Play());
        await editor.InvokeAsync(() => editor.Find("[data-testid=remove-content-sms]").Click());

        editor.WaitForAssertion(() => Assert.Contains("the play allows sms but has no sms content", Messages(editor, "content")), Wait);
        await editor.InvokeAsync(() => editor.Find("[data-testid=add-content-sms]").Click());
        // The new variant is empty: now its text is what is missing.
        editor.WaitForAssertion(() => Assert.Contains("sms needs its text", Messages(editor, "content[1].variants[0].text")), Wait);
        Assert.Empty(editor.FindAll("[data-testid=field-message][data-field=content]"));
    }

    [Fact]
    public async Task IncentiveWithoutValidity_IsAnError_NamedOnTheOffer()
    {
        var editor = Edit(PlaybookFixture.Play());
        await editor.InvokeAsync(() => editor.FindComponents<MudSelect<OfferKind>>().Single().Instance.ValueChanged.InvokeAsync(OfferKind.PercentOff));

        editor.WaitForAssertion(() => Assert.Contains("an offer needs a validity", Messages(editor, "offer.validTo")), Wait);
        Assert.Contains("percent off is a number above 0 and at most 100", Messages(editor, "offer.value"));
        await editor.InvokeAsync(() => editor.Find("input[data-testid=offer-value]").Input("15"));
        editor.WaitForAssertion(() => Assert.Equal("", Messages(editor, "offer.value")), Wait);
    }

    [Fact]
    public void SegmentThatNoLongerExists_IsAnError_AndShownAsSuch()
    {
        var play = PlaybookFixture.Play() with { Audience = new Audience([1, 9], SegmentMatch.Any, null, [], null) };
        var editor = Edit(play);

        editor.WaitForAssertion(() => Assert.Contains("segment 9 does not exist", Messages(editor, "audience.segmentIds[1]")), Wait);
        Assert.Contains("Gold members (#1), #9 (no longer exists)", editor.Find("[data-testid=audience-segments]").OuterHtml);
    }

    [Fact]
    public void NewPlayWithoutAnId_IsNotAnError_TheStoreMakesOne()
    {
        var editor = Edit(PlaybookFixture.Play() with { Id = "" });
        editor.WaitForAssertion(() => editor.Find("[data-testid=validation-ok]"), Wait);
        Assert.Contains("made from the name when the play is first saved", editor.Find("[data-testid=play-id]").TextContent);
    }

    [Fact]
    public void ReadOnly_OffersNoChanges()
    {
        var editor = Edit(PlaybookFixture.Play(), readOnly: true);
        editor.WaitForAssertion(() => editor.Find("[data-testid=validation-ok]"), Wait);
        Assert.Empty(editor.FindAll("[data-testid=remove-content-sms]"));
        Assert.Empty(editor.FindAll("[data-testid=add-recent-exclusion]"));
        Assert.NotNull(editor.Find("input[data-testid=play-name]").GetAttribute("readonly"));
    }
}
