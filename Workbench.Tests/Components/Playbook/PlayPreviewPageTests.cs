using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Workbench.Core.Customers;
using Workbench.Core.Playbook;
using Workbench.Features.Playbook;
using Workbench.Security;
using Workbench.Tests.Core.Segments;
using Workbench.Tests.TestSupport;

namespace Workbench.Tests.Components.Playbook;

// QualityFixture's store at 2026-10-15 12:00 UTC, plays from the starter library made for its categories (Grocery,
// Furniture) and regions. Q1 (Ann, Gold, North West) bought Furniture on 2026-10-01; email granted, sms denied, no push.
// "double-points-furniture" runs at 09:00 on the 15th for 24 h, to members who bought Furniture in the last 90 days.
public sealed class PlayPreviewPageTests : StorePageContext
{
    public static readonly DateTime At = new(2026, 10, 15, 12, 0, 0, DateTimeKind.Utc);

    protected override TimeProvider? Clock => new FixedTime(At);

    protected override async Task ArrangeAsync(TestStore store)
    {
        await QualityFixture.LoadAsync(store, plant: false);
        Use<CustomerService>();
        Use<PlaybookPreviewService>();
        Use<PlaybookStore>();
        // The starter library for this store, as the app seeds it with the sample data.
        var previews = store.Services.GetRequiredService<PlaybookPreviewService>();
        var seeded = await store.Services.GetRequiredService<PlaybookStore>().SeedAsync(await previews.StarterAsync(default), "test", default);
        Assert.True(seeded is { Imported: true }, string.Join("; ", seeded?.Problems ?? []));
        Services.AddSingleton(new CustomerSearchLimiter(new ConfigurationBuilder().Build()));
    }

    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    private IRenderedComponent<PlayPreviewPage> Open(string query)
    {
        Services.GetRequiredService<NavigationManager>().NavigateTo("/playbook/preview" + query);
        return Render<PlayPreviewPage>();
    }

    [Fact]
    public void Preview_EligibleEmail_RendersInASandboxedFrame_PushBlockedByMissingConsent_Highlighted()
    {
        var page = Open("?play=double-points-furniture&customer=Q1");
        page.WaitForAssertion(() => page.Find("[data-testid=preview-summary]"), Wait);

        Assert.Equal("Double points on Furniture", page.Find("[data-testid=preview-play-name]").TextContent);
        Assert.Equal("true", page.Find("[data-testid=verdict-email]").GetAttribute("data-eligible"));
        Assert.Equal("false", page.Find("[data-testid=verdict-push]").GetAttribute("data-eligible"));

        var frame = page.Find("[data-testid=message-email] iframe");
        Assert.Equal("", frame.GetAttribute("sandbox"));
        Assert.Contains("<p>Hi Ann,</p>", frame.GetAttribute("srcdoc"));
        Assert.Contains("Gold member · 0 points", frame.GetAttribute("srcdoc"));
        Assert.Equal("Double points on Furniture", page.Find("[data-testid=email-subject]").TextContent);

        // Every email rule allowed, each with the customer's value; the push verdict stops at its consent.
        var email = page.FindAll("[data-testid=reasons-email] [data-testid=reason]");
        Assert.All(email, r => Assert.Equal("true", r.GetAttribute("data-allowed")));
        Assert.Contains(email, r => r.GetAttribute("data-kind") == nameof(ReasonKind.Condition) && r.TextContent.Contains("Furniture"));
        var blocking = page.Find("[data-testid=reasons-push] [data-first-blocking=true]");
        Assert.Equal(nameof(ReasonKind.Consent), blocking.GetAttribute("data-kind"));
        Assert.Contains("no consent recorded", blocking.TextContent);
        Assert.Contains("first blocking reason", blocking.TextContent);
        Assert.Single(page.FindAll("[data-first-blocking=true]"));
    }

    [Fact]
    public void Preview_Sms_ShowsTheTextWithItsLengthEncodingAndSegments()
    {
        var page = Open("?play=birthday-gold&customer=Q1");
        page.WaitForAssertion(() => page.Find("[data-testid=sms-text]"), Wait);

        // "Happy birthday Ann! 300 points are on your account. Gold: 0 pts" counted by hand: 63 characters, all GSM-7.
        Assert.Equal("Happy birthday Ann! 300 points are on your account. Gold: 0 pts", page.Find("[data-testid=sms-text]").TextContent);
        var measure = page.Find("[data-testid=sms-measure]").TextContent;
        Assert.Contains("63 characters", measure);
        Assert.Contains("GSM-7", measure);
        Assert.Contains("1 segment", measure);
        Assert.Equal("false", page.Find("[data-testid=verdict-sms]").GetAttribute("data-eligible"));
    }

    [Fact]
    public void Preview_NothingPicked_SaysWhatToDo_UnknownPlayAndCustomer_SaySo()
    {
        var empty = Open("");
        empty.WaitForAssertion(() => Assert.Contains("Pick a customer", empty.Find("[data-testid=preview-empty]").TextContent), Wait);

        var noPlay = Open("?play=nope&customer=Q1");
        noPlay.WaitForAssertion(() => Assert.Contains("There is no play 'nope'", noPlay.Find("[data-testid=preview-problem]").TextContent), Wait);

        var noCustomer = Open("?play=birthday-gold&customer=ZZ");
        noCustomer.WaitForAssertion(() => Assert.Contains("customer 'ZZ' not found", noCustomer.Find("[data-testid=preview-problem]").TextContent), Wait);
    }

    [Fact]
    public async Task PickACustomerBySearch_PutsItInTheAddress()
    {
        var page = Open("?play=birthday-gold");
        page.WaitForAssertion(() => page.Find("[data-testid=preview-empty]"), Wait);
        await page.InvokeAsync(() => page.Find("input[data-testid=customer-search]").Input("Bo"));
        var option = page.WaitForElement("[data-testid=customer-option]", Wait);
        Assert.Equal("Q4 · Bo Kay bo at example.com", System.Text.RegularExpressions.Regex.Replace(option.TextContent, @"\s+", " ").Trim());
        option.Click();
        page.WaitForAssertion(() => Assert.EndsWith("/playbook/preview?play=birthday-gold&customer=Q4", Services.GetRequiredService<NavigationManager>().Uri), Wait);
    }

    [Fact]
    public async Task Preview_RecordsThePersonalDataAccess()
    {
        var page = Open("?play=birthday-gold&customer=Q1");
        page.WaitForAssertion(() => page.Find("[data-testid=preview-summary]"), Wait);
        var rows = await Store.RowsAsync("SELECT user_name, entity_id FROM audit_entries WHERE entity_id = 'Q1'");
        Assert.Contains("ana|Q1", rows);
    }
}
