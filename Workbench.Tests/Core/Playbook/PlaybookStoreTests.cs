using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Workbench.Core.Audit;
using Workbench.Core.Playbook;
using Workbench.Tests.TestSupport;

namespace Workbench.Tests.Core.Playbook;

// The store on a real SQLite file: two use cases imported first, plays created through the store.
public sealed class PlaybookStoreTests : IAsyncLifetime
{
    private static readonly UseCase Welcome = new("uc-1", "Welcome", Objective.Welcome, "first purchase", "second purchases", "tester", UseCaseStatus.Active);
    private static readonly UseCase WinBack = new("uc-2", "Win back", Objective.WinBack, "lapsing", "reactivation", "tester", UseCaseStatus.Active);

    private TestStore _store = null!;
    private PlaybookStore Plays => _store.Services.GetRequiredService<PlaybookStore>();

    public async Task InitializeAsync()
    {
        _store = await TestStore.CreateAsync();
        var imported = await ImportAsync(new PlaybookFile(1, [Welcome, WinBack], []));
        Assert.True(imported.Imported, string.Join("\n", imported.Problems));
    }

    public Task DisposeAsync() => _store.DisposeAsync().AsTask();

    private Task<PlaybookImportResult> ImportAsync(PlaybookFile file, string name = "plays.json") =>
        Plays.ImportAsync(new MemoryStream(Encoding.UTF8.GetBytes(PlaybookJson.Export(file))), name, "importer", default);

    private static Play Draft(string id, string name = "Test play") => PlaybookFixture.Play(id) with { Name = name, Status = PlayStatus.Draft };

    private async Task<Play> CreateAsync(Play play)
    {
        var result = await Plays.CreateAsync(play, "ann", default);
        Assert.True(result.Saved is not null, string.Join("; ", result.Problems));
        return result.Saved;
    }

    private async Task<Play> MoveAsync(Play play, PlayStatus status)
    {
        var result = await Plays.UpdateAsync(play with { Status = status }, play.Version, "ann", default);
        Assert.True(result.Saved is not null, string.Join("; ", result.Problems));
        return result.Saved;
    }

    [Fact]
    public async Task CreateAsync_ThenGet_GivesThePlayBackAtVersion1_AndTheListSummarisesIt()
    {
        var play = Draft("p1") with { Audience = new Audience([], SegmentMatch.Any, null, [], null), Channels = ["sms", "email"] };

        var saved = await CreateAsync(play);
        var read = await Plays.GetAsync("p1", default);
        var page = await Plays.ListAsync(new PlayFilter(), default);

        Assert.Equal(PlaybookJson.Serialize(play with { Version = 1 }), PlaybookJson.Serialize(read!));
        Assert.Equal(1, saved.Version);
        var summary = Assert.Single(page.Items);
        Assert.Equal(1, page.Total);
        Assert.Equal(("p1", "uc-1", Objective.Welcome, "scheduled", PlayStatus.Draft, "tester"),
            (summary.Id, summary.UseCaseId, summary.Objective, summary.TriggerKind, summary.Status, summary.Owner));
        Assert.Equal(["sms", "email"], summary.Channels);
        Assert.Null(await Plays.GetAsync("nope", default));
    }

    [Fact]
    public async Task CreateAsync_EmptyId_GetsOneFromTheName_AndATakenIdIsRefused()
    {
        var first = await CreateAsync(Draft("", "Spring Sale: 10%"));
        var second = await CreateAsync(Draft("", "Spring Sale: 10%"));
        var taken = await Plays.CreateAsync(Draft("spring-sale-10"), "ann", default);

        Assert.Equal("spring-sale-10", first.Id);
        Assert.Equal("spring-sale-10-2", second.Id);
        Assert.Null(taken.Saved);
        Assert.Equal("id", Assert.Single(taken.Problems).Field);
    }

    [Fact]
    public async Task CreateAsync_ANewPlayIsADraft_OtherStatusesAndMissingNamesAreRefused()
    {
        var active = await Plays.CreateAsync(PlaybookFixture.Play("p1"), "ann", default);
        var nameless = await Plays.CreateAsync(Draft("p2", " "), "ann", default);
        var unknownUseCase = await Plays.CreateAsync(Draft("p3") with { UseCaseId = "uc-9" }, "ann", default);
        var badId = await Plays.CreateAsync(Draft("p 4"), "ann", default);

        Assert.Equal("status", Assert.Single(active.Problems).Field);
        Assert.Contains(nameless.Problems, m => m.Field == "name");
        Assert.Contains(unknownUseCase.Problems, m => m.Field == "useCaseId" && m.Message.Contains("uc-9"));
        Assert.Contains(badId.Problems, m => m.Field == "id");
        Assert.All([active, nameless, unknownUseCase, badId], r => Assert.Null(r.Saved));
        Assert.Equal(0, (await Plays.ListAsync(new PlayFilter(), default)).Total);
    }

    [Fact]
    public async Task ListAsync_EachFilter_PicksTheMatchingPlays()
    {
        await CreateAsync(Draft("cart-email", "Cart reminder") with
        {
            Trigger = new EventTrigger("cart_abandon", null, 120, PurchaseCheck.Any, 24), Channels = ["email"],
            Content = [PlaybookFixture.Play().Content[0]],
        });
        var sms = await CreateAsync(Draft("lapsed-sms", "Lapsed: 50% off_now") with
        {
            UseCaseId = "uc-2", Owner = "bob", Trigger = new LifecycleTrigger(LifecycleMoment.DaysSinceLastPurchase, 90), Channels = ["sms"],
            Content = [PlaybookFixture.Play().Content[1]],
        });
        await MoveAsync(sms, PlayStatus.InReview);
        await CreateAsync(Draft("batch-both", "Weekly batch"));
        await _store.RowsAsync("INSERT INTO segments (name, description, owner, rule_json, version, created_at, updated_at, updated_by) " +
            "VALUES ('s', '', 't', '{\"conditions\":[]}', 1, '2026-11-25 08:00:00', '2026-11-25 08:00:00', 't')");
        var segmentId = long.Parse((await _store.RowsAsync("SELECT id FROM segments"))[0]);
        var inSegment = (await Plays.GetAsync("batch-both", default))!;
        await Plays.UpdateAsync(inSegment with { Audience = inSegment.Audience with { SegmentIds = [segmentId] } }, 1, "ann", default);

        async Task<string[]> Ids(PlayFilter f) => [.. (await Plays.ListAsync(f, default)).Items.Select(i => i.Id)];

        // By name: Cart reminder, Lapsed…, Weekly batch.
        Assert.Equal(["cart-email", "lapsed-sms", "batch-both"], await Ids(new PlayFilter()));
        Assert.Equal(["cart-email"], await Ids(new PlayFilter(Search: "REMIND")));
        Assert.Equal(["lapsed-sms"], await Ids(new PlayFilter(Search: "50%")));
        Assert.Empty(await Ids(new PlayFilter(Search: "5_%")));
        Assert.Equal(["lapsed-sms"], await Ids(new PlayFilter(Search: "% off_")));
        Assert.Equal(["lapsed-sms"], await Ids(new PlayFilter(UseCaseId: "uc-2")));
        Assert.Equal(["lapsed-sms"], await Ids(new PlayFilter(Objective: Objective.WinBack)));
        Assert.Equal(["cart-email"], await Ids(new PlayFilter(TriggerKind: "event")));
        Assert.Equal(["lapsed-sms", "batch-both"], await Ids(new PlayFilter(Channel: "sms")));
        Assert.Equal(["lapsed-sms"], await Ids(new PlayFilter(Status: PlayStatus.InReview)));
        Assert.Equal(["batch-both"], await Ids(new PlayFilter(SegmentId: segmentId)));
        Assert.Equal(["lapsed-sms"], await Ids(new PlayFilter(Owner: "bob")));
        var page = await Plays.ListAsync(new PlayFilter(Skip: 1, Take: 1), default);
        Assert.Equal((3, "lapsed-sms"), (page.Total, Assert.Single(page.Items).Id));
        Assert.Equal([segmentId], (await Plays.ListAsync(new PlayFilter(SegmentId: segmentId), default)).Items[0].SegmentIds);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Plays.ListAsync(new PlayFilter(Take: 501), default));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Plays.ListAsync(new PlayFilter(TriggerKind: "cron"), default));
    }

    [Fact]
    public async Task UpdateAsync_AStaleVersion_IsAConflictNamingTheStoredVersion_AndChangesNothing()
    {
        var v1 = await CreateAsync(Draft("p1"));
        var v2 = (await Plays.UpdateAsync(v1 with { Name = "Edited by Ann" }, 1, "ann", default)).Saved!;

        var stale = await Plays.UpdateAsync(v1 with { Name = "Edited by Bob" }, 1, "bob", default);

        Assert.Equal(2, v2.Version);
        Assert.True(stale.Conflict);
        Assert.Null(stale.Saved);
        Assert.Equal(2, stale.CurrentVersion);
        Assert.Equal("Edited by Ann", (await Plays.GetAsync("p1", default))!.Name);
        Assert.Equal(2, (await Plays.HistoryAsync("p1", default)).Count);
    }

    [Fact]
    public async Task UpdateAsync_EverySaveWritesAVersionAndAnAuditEntry_NewestFirst_AndAnUnchangedSaveWritesNothing()
    {
        var v1 = await CreateAsync(Draft("p1"));
        var v2 = (await Plays.UpdateAsync(v1 with { Name = "Renamed", CooldownDays = 14 }, 1, "bob", default)).Saved!;
        var v3 = await MoveAsync(v2, PlayStatus.InReview);
        var same = await Plays.UpdateAsync(v3, 3, "bob", default);

        var history = await Plays.HistoryAsync("p1", default);
        var audit = await _store.Audit.QueryAsync(new AuditFilter(EntityType: AuditEntities.Play), 0, 50);

        Assert.Equal(3, same.Saved!.Version);
        Assert.Equal([3, 2, 1], history.Select(h => h.Version));
        Assert.Equal(["status draft → in_review", "renamed 'Test play' → 'Renamed'; cooldownDays changed", "created"], history.Select(h => h.Summary));
        Assert.Equal(["ann", "bob", "ann"], history.Select(h => h.ChangedBy));
        Assert.Equal(PlaybookJson.Serialize(v2), history[1].Json);
        Assert.Equal(3, audit.Total);
        var rename = audit.Items.Single(i => i.UserName == "bob");
        Assert.Equal((AuditActions.Update, "p1"), (rename.Action, rename.EntityId));
        Assert.Equal([new FieldChange("name", "Test play", "Renamed"), new FieldChange("cooldownDays", "7", "14")], rename.Changes);
        Assert.Contains(audit.Items, i => i.Action == AuditActions.Create && i.UserName == "ann");
    }

    [Fact]
    public async Task UpdateAsync_StatusMovesOnlyAlongTheLifecycle()
    {
        var draft = await CreateAsync(Draft("p1"));
        var skip = await Plays.UpdateAsync(draft with { Status = PlayStatus.Active }, 1, "ann", default);
        var review = await MoveAsync(draft, PlayStatus.InReview);
        var back = await MoveAsync(review, PlayStatus.Draft);
        var again = await MoveAsync(back, PlayStatus.InReview);
        var active = await MoveAsync(again, PlayStatus.Active);
        var toDraft = await Plays.UpdateAsync(active with { Status = PlayStatus.Draft }, active.Version, "ann", default);
        var retired = await MoveAsync(active, PlayStatus.Retired);
        var revive = await Plays.UpdateAsync(retired with { Status = PlayStatus.Active }, retired.Version, "ann", default);

        Assert.Null(skip.Saved);
        Assert.Contains("in_review", Assert.Single(skip.Problems).Message);
        Assert.Null(toDraft.Saved);
        Assert.Null(revive.Saved);
        Assert.Contains("stays retired", Assert.Single(revive.Problems).Message);
        Assert.Equal((PlayStatus.Retired, 6), (retired.Status, retired.Version));
    }

    [Fact]
    public async Task UpdateAsync_APlayWithErrorsIsSavedAsDraft_ButCannotBecomeActive()
    {
        var broken = Draft("p1") with { Content = [new ChannelContent("email", [new CreativeVariant("standard", Subject: "Hi {{ first_nme }}", Html: "<p>x</p>")])], Channels = ["email"] };
        var saved = await Plays.CreateAsync(broken, "ann", default);
        var review = await MoveAsync(saved.Saved!, PlayStatus.InReview);

        var activate = await Plays.UpdateAsync(review with { Status = PlayStatus.Active }, review.Version, "ann", default);

        Assert.NotNull(saved.Saved);
        var unknown = Assert.Single(saved.Problems, m => m.Severity == Severity.Error);
        Assert.Equal(("content[0].variants[0].subject", 1, 7), (unknown.Field, unknown.Line, unknown.Column));
        Assert.Null(activate.Saved);
        Assert.Contains(activate.Problems, m => m.Message.Contains("first_nme"));
        Assert.Equal(PlayStatus.InReview, (await Plays.GetAsync("p1", default))!.Status);
    }

    [Fact]
    public async Task CloneAsync_MakesADraftCalledCopyOf_WithItsOwnHistory()
    {
        var source = await CreateAsync(Draft("p1"));
        var review = await MoveAsync(source, PlayStatus.InReview);

        var copy = (await Plays.CloneAsync("p1", "bob", default)).Saved!;
        var second = (await Plays.CloneAsync("p1", "bob", default)).Saved!;

        Assert.Equal(("p1-copy", "Copy of Test play", PlayStatus.Draft, 1, "bob"), (copy.Id, copy.Name, copy.Status, copy.Version, copy.Owner));
        Assert.Equal("p1-copy-2", second.Id);
        Assert.Equal(PlaybookJson.Serialize(review with { Id = "", Name = "", Status = PlayStatus.Draft, Version = 0, Owner = "" }),
            PlaybookJson.Serialize(copy with { Id = "", Name = "", Version = 0, Owner = "" }));
        Assert.Equal("copied from p1 version 2", Assert.Single(await Plays.HistoryAsync("p1-copy", default)).Summary);
        Assert.Null((await Plays.CloneAsync("nope", "bob", default)).Saved);
    }

    [Fact]
    public async Task ExportImportExport_IsByteIdentical_AndTheSecondImportChangesNothing()
    {
        var starter = StarterLibrary.Generate(new StarterInputs(["Garden", "Home"], ["Wales"], new DateOnly(2026, 12, 1)));
        Assert.True((await ImportAsync(starter with { UseCases = [.. starter.UseCases] }, "starter.json")).Imported);
        var draft = await CreateAsync(Draft("p1", "Ünïcode & <html> \"quoted\""));
        await MoveAsync(draft, PlayStatus.InReview);

        var first = PlaybookJson.Export(await Plays.ExportAsync(default));
        var again = await Plays.ImportAsync(new MemoryStream(Encoding.UTF8.GetBytes(first)), "export.json", "ann", default);
        var second = PlaybookJson.Export(await Plays.ExportAsync(default));

        Assert.Equal(first, second);
        Assert.Equal((0, 0, 0), (again.UseCases, again.Created, again.Updated));
        Assert.Equal(starter.Plays.Count + 1, (await Plays.ExportAsync(default)).Plays.Count);

        // Into a fresh store the same file reads back as it was, versions included.
        await using var other = await TestStore.CreateAsync();
        var otherPlays = other.Services.GetRequiredService<PlaybookStore>();
        var copied = await otherPlays.ImportAsync(new MemoryStream(Encoding.UTF8.GetBytes(first)), "export.json", "ann", default);
        Assert.True(copied.Imported, string.Join("\n", copied.Problems));
        Assert.Equal(first, PlaybookJson.Export(await otherPlays.ExportAsync(default)));
    }

    [Fact]
    public async Task ImportAsync_ChangedPlaysGetANewVersion_NewOnesAreCreated()
    {
        var existing = await CreateAsync(Draft("p1"));
        var file = new PlaybookFile(1, [Welcome with { Kpi = "repeat rate" }], [existing with { Name = "From the file", Version = 9 }, Draft("p2") with { Version = 4 }]);

        var result = await ImportAsync(file);

        Assert.Equal((1, 1, 1), (result.UseCases, result.Created, result.Updated));
        Assert.Equal((2, "From the file"), ((await Plays.GetAsync("p1", default))!.Version, (await Plays.GetAsync("p1", default))!.Name));
        Assert.Equal(4, (await Plays.GetAsync("p2", default))!.Version);
        Assert.StartsWith("imported from plays.json: renamed", (await Plays.HistoryAsync("p1", default))[0].Summary);
        Assert.Equal("repeat rate", (await Plays.UseCasesAsync(default)).Single(u => u.Id == "uc-1").Kpi);
        var entry = (await _store.Audit.QueryAsync(new AuditFilter(EntityType: AuditEntities.Playbook), 0, 10)).Items[0];
        Assert.Equal(("importer", AuditActions.Import, "plays.json"), (entry.UserName, entry.Action, entry.EntityId));
    }

    [Fact]
    public async Task ImportAsync_OneBadPlay_WritesNothing_AndNamesItsPathAndLine()
    {
        var good = Draft("p1");
        var bad = PlaybookFixture.Play("p2") with { Content = [new ChannelContent("email", [new CreativeVariant("standard", Subject: "x", Html: "{{ nope }}")])], Channels = ["email"] };
        var json = PlaybookJson.Export(new PlaybookFile(1, [Welcome], [good, bad]));
        var line = json.Split('\n').ToList().FindIndex(l => l.Contains("\"id\": \"p2\"")); // the line after the play's "{"
        var before = await _store.CountAsync("audit_entries");

        var result = await Plays.ImportAsync(new MemoryStream(Encoding.UTF8.GetBytes(json)), "plays.json", "ann", default);

        var problem = Assert.Single(result.Problems);
        Assert.Equal($"plays.json: $.plays[1].content[0].variants[0].html (play 'p2' at line {line}, position 5): template line 1, column 4: " +
            $"unknown variable 'nope' (known: {string.Join(", ", TemplateVariables.Known.Keys)})", problem);
        Assert.Equal(0, (await Plays.ListAsync(new PlayFilter(), default)).Total);
        Assert.Equal(before, await _store.CountAsync("audit_entries"));
    }

    [Fact]
    public async Task ImportAsync_NotJsonOrAnUnknownProperty_NamesTheLineAndPosition()
    {
        var text = "{\n  \"format\": 1,\n  \"useCases\": [],\n  \"plays\": [ { \"idd\": 1 } ]\n}";

        var result = await Plays.ImportAsync(new MemoryStream(Encoding.UTF8.GetBytes(text)), "typo.json", "ann", default);
        var broken = await Plays.ImportAsync(new MemoryStream(Encoding.UTF8.GetBytes("{ \"format\": ")), "cut.json", "ann", default);

        // The position is where the reader stood when it met the name: just past "idd":.
        Assert.Equal("typo.json: a property a play does not have at $.plays[0].idd (line 4, position 22); remove it or check its spelling", Assert.Single(result.Problems));
        Assert.StartsWith("cut.json: not a playbook file: the text is not valid JSON", Assert.Single(broken.Problems));
    }

    [Fact]
    public async Task PlaysAsync_TheActivePlays_SeeEveryWrite_OfThisStoreOrAnother()
    {
        var active = await MoveAsync(await MoveAsync(await CreateAsync(Draft("p1")), PlayStatus.InReview), PlayStatus.Active);
        await CreateAsync(Draft("p2"));
        Assert.Equal([("p1", 3)], (await Plays.PlaysAsync(PlayStatus.Active, default)).Select(p => (p.Id, p.Version)));

        // Another process writing the same store.
        var other = new PlaybookStore(_store.Services.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<Workbench.Core.Data.WorkbenchDbContext>>(),
            _store.Audit, TimeProvider.System);
        await other.UpdateAsync(active with { Name = "Renamed elsewhere" }, 3, "bob", default);
        Assert.Equal(["Renamed elsewhere"], (await Plays.PlaysAsync(PlayStatus.Active, default)).Select(p => p.Name));

        await MoveAsync((await Plays.GetAsync("p1", default))!, PlayStatus.Retired);
        Assert.Empty(await Plays.PlaysAsync(PlayStatus.Active, default));
        Assert.Equal(["p1"], (await Plays.PlaysAsync(PlayStatus.Retired, default)).Select(p => p.Id));
    }

    [Fact]
    public async Task ValidationContextAsync_HoldsTheSavedSegmentsAndUseCases()
    {
        await _store.RowsAsync("INSERT INTO segments (name, description, owner, rule_json, version, created_at, updated_at, updated_by) " +
            "VALUES ('s', '', 't', '{\"conditions\":[]}', 1, '2026-11-25 08:00:00', '2026-11-25 08:00:00', 't')");

        var context = await Plays.ValidationContextAsync(default);

        Assert.Equal([long.Parse((await _store.RowsAsync("SELECT id FROM segments"))[0])], context.SegmentIds);
        Assert.Equal(["uc-1", "uc-2"], context.UseCaseIds!.Order());
    }

    [Fact]
    public async Task SaveUseCaseAsync_CreatesWithAnIdFromTheName_RefusesWhatIsMissing_AndAudits()
    {
        var draft = new UseCase("", "  Replenish coffee  ", Objective.Replenish, "expected next purchase reached", "repeat-purchase rate", "", UseCaseStatus.Proposed);
        var created = await Plays.SaveUseCaseAsync(draft, null, "ann", default);
        Assert.True(created.IsSaved, string.Join("; ", created.Problems.Select(p => p.Message)));
        // The id is the name's slug; the owner, left empty, is the user; text is trimmed.
        Assert.Equal(new UseCase("replenish-coffee", "Replenish coffee", Objective.Replenish, "expected next purchase reached", "repeat-purchase rate", "ann", UseCaseStatus.Proposed), created.Saved);
        var again = await Plays.SaveUseCaseAsync(draft, null, "ann", default);
        Assert.Equal("replenish-coffee-2", again.Saved!.Id);
        Assert.Equal(["uc-1", "uc-2", "replenish-coffee", "replenish-coffee-2"], (await Plays.UseCasesAsync(default)).Select(u => u.Id));

        var refused = await Plays.SaveUseCaseAsync(new UseCase("uc-1", "", Objective.Grow, "", "", "", UseCaseStatus.Active), null, "ann", default);
        Assert.False(refused.IsSaved);
        Assert.Equal(["name", "journeyMoment", "kpi"], refused.Problems.Select(p => p.Field));
        var taken = await Plays.SaveUseCaseAsync(Welcome with { Name = "Another welcome" }, null, "ann", default);
        Assert.Equal("id", Assert.Single(taken.Problems).Field);
        var badId = await Plays.SaveUseCaseAsync(Welcome with { Id = "no spaces" }, null, "ann", default);
        Assert.Equal("id", Assert.Single(badId.Problems).Field);
        var tooLong = await Plays.SaveUseCaseAsync(draft with { Kpi = new string('k', PlaybookStore.MaxUseCaseTextLength + 1) }, null, "ann", default);
        Assert.Equal("kpi", Assert.Single(tooLong.Problems).Field);

        var audit = await _store.Audit.QueryAsync(new AuditFilter(EntityType: AuditEntities.UseCase), 0, 50);
        Assert.Equal(2, audit.Items.Count);
        Assert.All(audit.Items, i => Assert.Equal((AuditActions.Create, "ann"), (i.Action, i.UserName)));
    }

    [Fact]
    public async Task SaveUseCaseAsync_ChangesWhatWasLoaded_RefusesAConflict_AndKeepsTheId()
    {
        var renamed = Welcome with { Name = "Welcome, second purchase", Kpi = "second purchase within 60 days", Status = UseCaseStatus.Retired };
        var saved = await Plays.SaveUseCaseAsync(renamed, Welcome, "bea", default);
        Assert.Equal(renamed, saved.Saved);
        Assert.Equal(renamed, (await Plays.UseCasesAsync(default)).Single(u => u.Id == "uc-1"));
        var audit = await _store.Audit.QueryAsync(new AuditFilter(EntityType: AuditEntities.UseCase), 0, 50);
        var entry = Assert.Single(audit.Items);
        Assert.Equal((AuditActions.Update, "uc-1", "bea"), (entry.Action, entry.EntityId, entry.UserName));

        // Someone who loaded the old one cannot save over the new one: a conflict quoting the current use case, nothing written.
        var stale = await Plays.SaveUseCaseAsync(Welcome with { Owner = "cy" }, Welcome, "cy", default);
        Assert.True(stale.Conflict);
        Assert.Equal(renamed, stale.Current);
        Assert.Equal(renamed, (await Plays.UseCasesAsync(default)).Single(u => u.Id == "uc-1"));

        // The id stays; saving what is stored writes nothing.
        var moved = await Plays.SaveUseCaseAsync(renamed with { Id = "uc-9" }, renamed, "bea", default);
        Assert.Equal("id", Assert.Single(moved.Problems).Field);
        Assert.Equal(renamed, (await Plays.SaveUseCaseAsync(renamed, renamed, "bea", default)).Saved);
        Assert.Single((await _store.Audit.QueryAsync(new AuditFilter(EntityType: AuditEntities.UseCase), 0, 50)).Items);
    }
}
