using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;
using MudBlazor;
using Severity = Workbench.Core.Playbook.Severity;
using Workbench.Core.Playbook;
using Workbench.Core.Segments;
using Workbench.Security;

namespace Workbench.Features.Playbook;

public partial class PlayEditPage
{
    [Inject] private PlaybookStore Store { get; set; } = null!;
    [Inject] private SegmentService SegmentService { get; set; } = null!;
    [Inject] private NavigationManager Navigation { get; set; } = null!;
    [Inject] private CurrentUser CurrentUser { get; set; } = null!;
    [Inject] private IAuthorizationService Authorization { get; set; } = null!;

    [Parameter] public string? Id { get; set; }
    // The new page is prefilled from the link: a play to start from, an objective (as the JSON writes it), a segment, a channel.
    [SupplyParameterFromQuery(Name = "template")] public string? Template { get; set; }
    [SupplyParameterFromQuery(Name = "objective")] public string? ObjectiveParam { get; set; }
    [SupplyParameterFromQuery(Name = "segment")] public long? SegmentParam { get; set; }
    [SupplyParameterFromQuery(Name = "channel")] public string? ChannelParam { get; set; }

    private Play? _play, _saved;
    private int _version;
    private bool _notFound, _canEdit, _saving, _checkedRole;
    private string? _templateName, _saveProblem, _savedMessage;
    private int? _conflictVersion;
    private PlayOption? _templateOption;
    private IReadOnlyList<UseCase> _useCases = [];
    private IReadOnlyList<SegmentOption> _segments = [];
    private PlayValidationContext? _validation;
    private IReadOnlyList<PlayVersionEntry> _versions = [];
    private List<BreadcrumbItem> _crumbs = [];
    private string? _loadedFor = "\0";
    private readonly CancellationTokenSource _life = new();

    protected override async Task OnParametersSetAsync()
    {
        var key = $"{Id}|{Template}|{ObjectiveParam}|{SegmentParam}|{ChannelParam}";
        if (_loadedFor == key && _play is not null) return;
        _loadedFor = key;
        (_notFound, _saveProblem, _savedMessage, _conflictVersion) = (false, null, null, null);
        var user = await CurrentUser.PrincipalAsync();
        _canEdit = (await Authorization.AuthorizeAsync(user, Access.EditPlaybook)).Succeeded;
        _checkedRole = true;
        _crumbs = [new("Playbook", "playbook"), new(Id is null ? "New play" : Id, null, disabled: true)];
        if (Id is null && !_canEdit) return;
        _useCases = await Store.UseCasesAsync(_life.Token);
        _segments = (await SegmentService.ListAsync()).Select(s => new SegmentOption(s.Id, s.Name)).ToList();
        _validation = await Store.ValidationContextAsync(_life.Token);
        if (Id is { } id)
        {
            _saved = await Store.GetAsync(id, _life.Token);
            if (_saved is null) { _notFound = true; return; }
            (_play, _version, _templateName) = (_saved, _saved.Version, null);
            _versions = await Store.HistoryAsync(id, _life.Token);
        }
        else
        {
            var template = Template is null ? null : await Store.GetAsync(Template, _life.Token);
            _templateName = template?.Name;
            _templateOption = template is null ? null : PlayOption.Of(template);
            _play = PlayDraft.New(template, user.Identity?.Name ?? "unknown", _useCases, PlayQuery.Objective(ObjectiveParam), SegmentParam, ChannelParam);
        }
        _crumbs = [new("Playbook", "playbook"), new(_saved?.Name ?? "New play", null, disabled: true)];
    }

    private async Task<IEnumerable<PlayOption>> SearchPlaysAsync(string text, CancellationToken ct) =>
        (await Store.ListAsync(new PlayFilter(Search: text.Length > PlayFilter.MaxTextLength ? text[..PlayFilter.MaxTextLength] : text, Take: 20), ct))
            .Items.Select(p => new PlayOption(p.Id, p.Name, p.Status));

    // The template goes into the address, so the page (and a link to it) starts from it.
    private void StartFrom(PlayOption? template) =>
        Navigation.NavigateTo(Navigation.GetUriWithQueryParameter("template", template?.Id));

    private void Changed(Play play)
    {
        _play = play;
        _savedMessage = null;
    }

    private static string MoveLabel(PlayStatus to) => to switch
    {
        PlayStatus.InReview => "Submit for review",
        PlayStatus.Active => "Activate",
        PlayStatus.Retired => "Retire",
        _ => "Back to draft",
    };

    // Saves what the editor holds (with a status move when given); refused when someone saved meanwhile.
    private async Task SaveAsync(PlayStatus? to)
    {
        (_saveProblem, _savedMessage, _conflictVersion) = (null, null, null);
        var principal = await CurrentUser.PrincipalAsync();
        if (!(await Authorization.AuthorizeAsync(principal, Access.EditPlaybook)).Succeeded) { _saveProblem = "Your role reads plays but cannot change them."; return; }
        var user = principal.Identity?.Name ?? "unknown";
        var play = to is { } status ? _play! with { Status = status } : _play!;
        _saving = true;
        try
        {
            var result = _saved is null ? await Store.CreateAsync(play, user, _life.Token) : await Store.UpdateAsync(play with { Id = _saved.Id }, _version, user, _life.Token);
            if (result.Conflict)
            {
                _conflictVersion = result.CurrentVersion;
                _saveProblem = $"Not saved: someone saved version {result.CurrentVersion} while you edited version {_version}.";
                return;
            }
            if (result.Saved is not { } saved)
            {
                _saveProblem = "Not saved: " + string.Join("; ", result.Problems.Where(p => p.Severity == Severity.Error).Select(p => $"{p.Field}: {p.Message}"));
                return;
            }
            if (_saved is null) { Navigation.NavigateTo($"playbook/plays/{Uri.EscapeDataString(saved.Id)}"); return; }
            (_saved, _play, _version) = (saved, saved, saved.Version);
            _versions = await Store.HistoryAsync(saved.Id, _life.Token);
            _savedMessage = $"Saved as version {saved.Version} ({PlayText.Status(saved.Status)}).";
        }
        finally
        {
            _saving = false;
        }
    }

    private async Task ReloadAsync()
    {
        _loadedFor = "\0";
        _play = null;
        await OnParametersSetAsync();
    }

    private void LoadVersion(PlayVersionEntry entry)
    {
        _play = PlaybookJson.ReadPlay(entry.Json) with { Status = _saved!.Status };
        _savedMessage = $"Version {entry.Version} loaded into the editor; save to make it the current version.";
    }

    public void Dispose()
    {
        _life.Cancel();
        _life.Dispose();
    }
}
