using FundingPortal.Core.Domain;
using FundingPortal.IntegrationTests.Infrastructure;
using FundingPortal.Web.Features.Fulfilment;

using Microsoft.EntityFrameworkCore;

namespace FundingPortal.IntegrationTests.Fulfilment;

[Collection(PortalTests.Name)]
public class TimeEntryTests(PortalFactory portal)
{
    private Task<Result<int>> LogAsync(int organisationId, int pledgeId, HoursInput input, string userId) =>
        portal.WithScopeAsync<LogHours, Result<int>>(h => h.LogAsync(organisationId, pledgeId, input, userId));

    private Task<Result<int>> ConfirmAsync(int entryId, string userId) =>
        portal.WithScopeAsync<ReviewTimeEntries, Result<int>>(h => h.ConfirmAsync(entryId, userId));

    private static HoursInput Input(string hours = "2.5", int daysAgo = 0) => new()
    {
        Date = DateTime.UtcNow.Date.AddDays(-daysAgo),
        Engineer = "Eve Engineer",
        Hours = hours,
        Description = "Fixed the flaky Windows linker step",
    };

    private async Task<(Sponsorship Arrange, Pledge Pledge)> TimePledgeAsync()
    {
        var arrange = await portal.Given().SponsorshipAsync();
        var pledge = await arrange.EngineerTimeAsync(10, Given.Monthly(Given.Today.AddDays(-10), 4));
        return (arrange, pledge);
    }

    [Fact]
    public async Task A_sponsor_logs_hours_a_reviewer_confirms_them_and_they_count_on_the_installment()
    {
        var (arrange, pledge) = await TimePledgeAsync();

        var logged = await LogAsync(arrange.OrganisationId, pledge.Id, Input("2.5"), arrange.Sponsor.Id);
        Assert.True(logged.Succeeded, logged.Problem?.Message);
        var page = await portal.WithScopeAsync<LogHours, Result<HoursPageView>>(h => h.GetAsync(arrange.OrganisationId, pledge.Id, arrange.Sponsor.Id));
        Assert.Equal(ConfirmationStatus.Submitted, page.Value!.Entries.Single().Status);
        var queue = await portal.WithScopeAsync<ReviewTimeEntries, Result<IReadOnlyList<TimeEntryQueueRow>>>(h => h.QueueAsync(arrange.Reviewer.Id));
        Assert.Contains(queue.Value!, r => r.Id == logged.Value && r.PledgeId == pledge.Id && r.Hours == "2.5 h");

        var confirmed = await ConfirmAsync(logged.Value, arrange.Reviewer.Id);

        Assert.True(confirmed.Succeeded, confirmed.Problem?.Message);
        await using var db = portal.NewDbContext();
        var entry = await db.TimeEntries.SingleAsync(t => t.Id == logged.Value);
        Assert.Equal((ConfirmationStatus.Confirmed, arrange.Reviewer.Id), (entry.Status, entry.ReviewedByUserId));
        var installment = await db.Installments.SingleAsync(i => i.Id == entry.InstallmentId);
        Assert.Equal((150L, InstallmentStatus.PartiallyFulfilled, 1), (installment.HoursDeliveredMinutes, installment.Status, installment.Sequence));
        Assert.True(await db.AuditEvents.AnyAsync(a => a.Action == "time-entry.confirmed" && a.EntityId == Devops.Key(entry.Id)));
        Assert.True(await db.AuditEvents.AnyAsync(a => a.Action == "time-entry.logged" && a.EntityId == Devops.Key(entry.Id)));
    }

    [Fact]
    public async Task A_member_of_another_organisation_cannot_log_on_this_pledge_or_see_it()
    {
        var (_, pledge) = await TimePledgeAsync();
        var (other, _) = await TimePledgeAsync();

        // Their own organisation id with our pledge id, and our organisation id (they are not a member of it).
        var viaOwnOrg = await LogAsync(other.OrganisationId, pledge.Id, Input(), other.Sponsor.Id);
        var viaOurOrg = await LogAsync(pledge.OrganisationId, pledge.Id, Input(), other.Sponsor.Id);
        var read = await portal.WithScopeAsync<LogHours, Result<HoursPageView>>(h => h.GetAsync(pledge.OrganisationId, pledge.Id, other.Sponsor.Id));

        Assert.Equal(ProblemKind.NotFound, viaOwnOrg.Problem!.Kind);
        Assert.Equal(ProblemKind.NotFound, viaOurOrg.Problem!.Kind);
        Assert.Equal(ProblemKind.NotFound, read.Problem!.Kind);
        await using var db = portal.NewDbContext();
        Assert.False(await db.TimeEntries.AnyAsync(t => t.PledgeId == pledge.Id));
    }

    [Theory]
    [InlineData("0", 0, "hours")]
    [InlineData("-1", 0, "hours")]
    [InlineData("24.5", 0, "hours")]
    [InlineData("two", 0, "hours")]
    [InlineData("", 0, "hours")]
    [InlineData("2", -1, "date")]
    public async Task Bad_hours_or_dates_are_refused_on_their_field(string hours, int daysAgo, string field)
    {
        var (arrange, pledge) = await TimePledgeAsync();

        var result = await LogAsync(arrange.OrganisationId, pledge.Id, Input(hours, daysAgo), arrange.Sponsor.Id);

        Assert.Equal((ProblemKind.Invalid, field), (result.Problem!.Kind, result.Problem.Field));
        await using var db = portal.NewDbContext();
        Assert.False(await db.TimeEntries.AnyAsync(t => t.PledgeId == pledge.Id));
    }

    [Fact]
    public async Task A_sponsor_cannot_confirm_and_a_reviewer_cannot_confirm_hours_they_logged()
    {
        var (arrange, pledge) = await TimePledgeAsync();
        // The reviewer also belongs to the sponsoring organisation and logs hours there.
        await using (var db = portal.NewDbContext())
        {
            var org = await db.Organisations.Include(o => o.Members).SingleAsync(o => o.Id == arrange.OrganisationId);
            org.AddMember(arrange.Reviewer.Id, DateTime.UtcNow);
            await db.SaveChangesAsync();
        }
        var bySponsor = await LogAsync(arrange.OrganisationId, pledge.Id, Input("1"), arrange.Sponsor.Id);
        var byReviewer = await LogAsync(arrange.OrganisationId, pledge.Id, Input("2"), arrange.Reviewer.Id);

        var sponsorConfirms = await ConfirmAsync(bySponsor.Value, arrange.Sponsor.Id);
        var sponsorQueue = await portal.WithScopeAsync<ReviewTimeEntries, Result<IReadOnlyList<TimeEntryQueueRow>>>(h => h.QueueAsync(arrange.Sponsor.Id));
        var selfConfirm = await ConfirmAsync(byReviewer.Value, arrange.Reviewer.Id);
        var sponsorRejects = await portal.WithScopeAsync<ReviewTimeEntries, Result<int>>(h => h.RejectAsync(bySponsor.Value, "no", arrange.Sponsor.Id));

        Assert.Equal(ProblemKind.Forbidden, sponsorConfirms.Problem!.Kind);
        Assert.Equal(ProblemKind.Forbidden, sponsorQueue.Problem!.Kind);
        Assert.Equal(ProblemKind.Forbidden, selfConfirm.Problem!.Kind);
        Assert.Equal(ProblemKind.Forbidden, sponsorRejects.Problem!.Kind);
        await using var check = portal.NewDbContext();
        Assert.All(await check.TimeEntries.Where(t => t.PledgeId == pledge.Id).ToListAsync(), t => Assert.Equal(ConfirmationStatus.Submitted, t.Status));
        Assert.Equal(0, await check.Installments.Where(i => i.PledgeId == pledge.Id).SumAsync(i => i.HoursDeliveredMinutes));
    }

    [Fact]
    public async Task Two_reviewers_confirming_at_once_count_the_hours_once_and_the_second_is_told()
    {
        var (arrange, pledge) = await TimePledgeAsync();
        var second = await portal.CreateUserAsync(Roles.Reviewer, "Ray Reviewer");
        var logged = await LogAsync(arrange.OrganisationId, pledge.Id, Input("3"), arrange.Sponsor.Id);

        var results = await Task.WhenAll(ConfirmAsync(logged.Value, arrange.Reviewer.Id), ConfirmAsync(logged.Value, second.Id));

        Assert.Single(results, r => r.Succeeded);
        var loser = Assert.Single(results, r => !r.Succeeded);
        Assert.Equal(ProblemKind.Conflict, loser.Problem!.Kind);
        await using var db = portal.NewDbContext();
        Assert.Equal(180, await db.Installments.Where(i => i.PledgeId == pledge.Id).SumAsync(i => i.HoursDeliveredMinutes));
        Assert.Equal(1, await db.AuditEvents.CountAsync(a => a.Action == "time-entry.confirmed" && a.EntityId == Devops.Key(logged.Value)));
    }

    [Fact]
    public async Task A_stale_confirmation_from_an_old_list_is_refused()
    {
        var (arrange, pledge) = await TimePledgeAsync();
        var second = await portal.CreateUserAsync(Roles.Reviewer, "Ray Reviewer");
        var logged = await LogAsync(arrange.OrganisationId, pledge.Id, Input("3"), arrange.Sponsor.Id);
        var seen = (await portal.WithScopeAsync<ReviewTimeEntries, Result<IReadOnlyList<TimeEntryQueueRow>>>(h => h.QueueAsync(second.Id)))
            .Value!.Single(r => r.Id == logged.Value).Version;
        Assert.True((await ConfirmAsync(logged.Value, arrange.Reviewer.Id)).Succeeded);

        var late = await portal.WithScopeAsync<ReviewTimeEntries, Result<int>>(h => h.RejectAsync(logged.Value, "Not ours", second.Id, seen));

        Assert.Equal(ProblemKind.Conflict, late.Problem!.Kind);
        Assert.Contains("already confirmed", late.Problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rejecting_needs_a_reason_the_sponsor_then_sees()
    {
        var (arrange, pledge) = await TimePledgeAsync();
        var logged = await LogAsync(arrange.OrganisationId, pledge.Id, Input("3"), arrange.Sponsor.Id);

        var noReason = await portal.WithScopeAsync<ReviewTimeEntries, Result<int>>(h => h.RejectAsync(logged.Value, " ", arrange.Reviewer.Id));
        var rejected = await portal.WithScopeAsync<ReviewTimeEntries, Result<int>>(h => h.RejectAsync(logged.Value, "Not on this task", arrange.Reviewer.Id));

        Assert.Equal("reason", noReason.Problem!.Field);
        Assert.True(rejected.Succeeded);
        var page = await portal.WithScopeAsync<LogHours, Result<HoursPageView>>(h => h.GetAsync(arrange.OrganisationId, pledge.Id, arrange.Sponsor.Id));
        var entry = page.Value!.Entries.Single();
        Assert.Equal((ConfirmationStatus.Rejected, "Not on this task"), (entry.Status, entry.RejectionReason));
        await using var db = portal.NewDbContext();
        Assert.Equal(0, await db.Installments.Where(i => i.PledgeId == pledge.Id).SumAsync(i => i.HoursDeliveredMinutes));
    }
}
