using System.Globalization;

using FundingPortal.Core.Domain;
using FundingPortal.IntegrationTests.Infrastructure;
using FundingPortal.Web.Features.Pledges;

using Microsoft.EntityFrameworkCore;

namespace FundingPortal.IntegrationTests.Pledges;

[Collection(PortalTests.Name)]
public class ReviewPledgeTests(PortalFactory portal)
{
    [Fact]
    public async Task Accepting_schedules_the_installments_audits_and_emails_the_reason()
    {
        var sponsor = await portal.Given().SponsorAsync();
        var fund = (await portal.Given().TaskFundAsync()).FundId;
        var id = await portal.Given().SubmittedPledgeAsync(sponsor, Given.EngineerTimeInput(fund, "10", 4));
        var reviewer = await portal.CreateUserAsync(Roles.Reviewer, "Rita Reviewer");

        var accepted = await portal.Given().DecideAsync(id, ReviewDecision.Accept, reviewer, "Welcome aboard <b>team</b>.");

        Assert.Equal(PledgeStatus.Active, accepted.Value);
        await using var db = portal.NewDbContext();
        var pledge = await db.Pledges.Include(p => p.Installments).SingleAsync(p => p.Id == id);
        Assert.Equal((PledgeStatus.Active, reviewer.Id, "Welcome aboard <b>team</b>."), (pledge.Status, pledge.ReviewedByUserId, pledge.ReviewReason));
        Assert.Equal(4, pledge.Installments.Count);
        Assert.All(pledge.Installments, i => Assert.Equal(600, i.HoursDueMinutes));
        var audit = await db.AuditEvents.SingleAsync(a => a.Action == "pledge.accepted" && a.EntityId == id.ToString(CultureInfo.InvariantCulture));
        Assert.Contains("Submitted", audit.Before, StringComparison.Ordinal);
        Assert.Contains("Active", audit.After, StringComparison.Ordinal);
        var email = Assert.Single(portal.EmailsTo(sponsor.BillingEmail), e => e.Subject.StartsWith("Pledge accepted", StringComparison.Ordinal));
        Assert.Contains("Welcome aboard &lt;b&gt;team&lt;/b&gt;.", email.Html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(ReviewDecision.Decline, PledgeStatus.Declined, "Pledge declined")]
    [InlineData(ReviewDecision.RequestChanges, PledgeStatus.ChangesRequested, "Changes requested")]
    public async Task Declining_or_asking_for_changes_keeps_the_reason_for_the_sponsor(ReviewDecision decision, PledgeStatus status, string subject)
    {
        var sponsor = await portal.Given().SponsorAsync();
        var id = await portal.Given().SubmittedPledgeAsync(sponsor, Given.MoneyInput(await portal.Given().CentralFundAsync()));
        var reviewer = await portal.CreateUserAsync(Roles.Reviewer);

        var result = await portal.Given().DecideAsync(id, decision, reviewer, "Please make it quarterly.");

        Assert.Equal(status, result.Value);
        await using var db = portal.NewDbContext();
        var pledge = await db.Pledges.Include(p => p.Installments).SingleAsync(p => p.Id == id);
        Assert.Equal((status, "Please make it quarterly."), (pledge.Status, pledge.ReviewReason));
        Assert.Empty(pledge.Installments);
        Assert.Contains(portal.EmailsTo(sponsor.BillingEmail), e => e.Subject.StartsWith(subject, StringComparison.Ordinal) && e.Html.Contains("Please make it quarterly.", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("   ")]
    public async Task A_decision_without_a_reason_is_refused_on_the_reason_field(string? reason)
    {
        var sponsor = await portal.Given().SponsorAsync();
        var id = await portal.Given().SubmittedPledgeAsync(sponsor, Given.MoneyInput(await portal.Given().CentralFundAsync()));
        var reviewer = await portal.CreateUserAsync(Roles.Reviewer);

        var result = await portal.Given().DecideAsync(id, ReviewDecision.Accept, reviewer, reason);

        Assert.Equal("reason", result.Problem!.Field);
        await AssertStillSubmittedAsync(id);
    }

    [Fact]
    public async Task A_sponsor_calling_the_review_handlers_is_forbidden()
    {
        var sponsor = await portal.Given().SponsorAsync();
        var id = await portal.Given().SubmittedPledgeAsync(sponsor, Given.MoneyInput(await portal.Given().CentralFundAsync()));

        var decided = await portal.Given().DecideAsync(id, ReviewDecision.Accept, sponsor.User);
        var queue = await portal.WithScopeAsync<GetPledges, Result<IReadOnlyList<QueuedPledge>>>(g => g.QueueAsync(sponsor.User.Id));
        var detail = await portal.WithScopeAsync<GetPledges, Result<PledgeView>>(g => g.ForReviewerAsync(id, sponsor.User.Id));

        Assert.Equal(ProblemKind.Forbidden, decided.Problem!.Kind);
        Assert.Equal(ProblemKind.Forbidden, queue.Problem!.Kind);
        Assert.Equal(ProblemKind.Forbidden, detail.Problem!.Kind);
        await AssertStillSubmittedAsync(id);
    }

    [Fact]
    public async Task Two_reviewers_on_the_same_version_the_second_is_told_and_the_first_decision_stands()
    {
        var sponsor = await portal.Given().SponsorAsync();
        var id = await portal.Given().SubmittedPledgeAsync(sponsor, Given.MoneyInput(await portal.Given().CentralFundAsync()));
        var first = await portal.CreateUserAsync(Roles.Reviewer, "First Reviewer");
        var second = await portal.CreateUserAsync(Roles.Reviewer, "Second Reviewer");
        // Both opened the page before either acted.
        var seen = await portal.Given().PledgeVersionAsync(id);

        var accepted = await portal.Given().DecideAsync(id, ReviewDecision.Accept, first, "Accepted by the first.", seen);
        var declined = await portal.Given().DecideAsync(id, ReviewDecision.Decline, second, "Declined by the second.", seen);

        Assert.True(accepted.Succeeded);
        Assert.Equal(ProblemKind.Conflict, declined.Problem!.Kind);
        Assert.Equal("Another reviewer already acted on this pledge: it is now active.", declined.Problem.Message);
        await using var db = portal.NewDbContext();
        var pledge = await db.Pledges.SingleAsync(p => p.Id == id);
        Assert.Equal((PledgeStatus.Active, first.Id, "Accepted by the first."), (pledge.Status, pledge.ReviewedByUserId, pledge.ReviewReason));
        Assert.Equal(1, await db.AuditEvents.CountAsync(a => a.EntityType == "Pledge" && a.EntityId == id.ToString(CultureInfo.InvariantCulture) && a.Action != "pledge.submitted"));
    }

    [Fact]
    public async Task Two_reviewers_at_the_same_moment_exactly_one_decision_is_saved()
    {
        var sponsor = await portal.Given().SponsorAsync();
        var id = await portal.Given().SubmittedPledgeAsync(sponsor, Given.MoneyInput(await portal.Given().CentralFundAsync()));
        var first = await portal.CreateUserAsync(Roles.Reviewer);
        var second = await portal.CreateUserAsync(Roles.Reviewer);
        var seen = await portal.Given().PledgeVersionAsync(id);

        Result<PledgeStatus>[] results;
        try
        {
            results = await Task.WhenAll(
                portal.Given().DecideAsync(id, ReviewDecision.Accept, first, "Yes.", seen),
                portal.Given().DecideAsync(id, ReviewDecision.RequestChanges, second, "Change it.", seen));
        }
        catch (Exception e) when (e.GetType().Name is "SqliteException")
        {
            // SQLite serialises writers; a writer that loses the race may be refused by the database itself. Either way nothing is lost.
            results = [];
        }

        Assert.True(results.Count(r => r.Succeeded) <= 1);
        await using var db = portal.NewDbContext();
        var pledge = await db.Pledges.Include(p => p.Installments).SingleAsync(p => p.Id == id);
        Assert.NotEqual(PledgeStatus.Submitted, pledge.Status);
        Assert.Equal(1, await db.AuditEvents.CountAsync(a => a.EntityType == "Pledge" && a.EntityId == id.ToString(CultureInfo.InvariantCulture) && a.Action != "pledge.submitted"));
        Assert.Equal(pledge.Status == PledgeStatus.Active ? 12 : 0, pledge.Installments.Count);
        if (results.Length == 2)
        {
            Assert.Single(results, r => r.Problem?.Kind == ProblemKind.Conflict);
        }
    }

    [Fact]
    public async Task The_queue_lists_submitted_pledges_oldest_first_with_their_summary()
    {
        var sponsor = await portal.Given().SponsorAsync("Queue Test Org");
        var central = await portal.Given().CentralFundAsync();
        var older = await portal.Given().SubmittedPledgeAsync(sponsor, Given.MoneyInput(central, "100"));
        var newer = await portal.Given().SubmittedPledgeAsync(sponsor, Given.MoneyInput(central, "200"));
        var reviewer = await portal.CreateUserAsync(Roles.Reviewer);
        var declined = await portal.Given().SubmittedPledgeAsync(sponsor, Given.MoneyInput(central, "300"));
        await portal.Given().DecideAsync(declined, ReviewDecision.Decline, reviewer, "No.");

        var queue = (await portal.WithScopeAsync<GetPledges, Result<IReadOnlyList<QueuedPledge>>>(g => g.QueueAsync(reviewer.Id))).Value!;

        var mine = queue.Where(q => q.Organisation == "Queue Test Org").ToList();
        Assert.Equal([older, newer], mine.Select(q => q.Id));
        Assert.Equal("1,200.00 USD", mine[0].Total);
        Assert.Contains("100.00 USD a month", mine[0].Terms, StringComparison.Ordinal);
    }

    private async Task AssertStillSubmittedAsync(int id)
    {
        await using var db = portal.NewDbContext();
        Assert.Equal(PledgeStatus.Submitted, await db.Pledges.Where(p => p.Id == id).Select(p => p.Status).SingleAsync());
        Assert.False(await db.AuditEvents.AnyAsync(a => a.EntityId == id.ToString(CultureInfo.InvariantCulture) && a.Action != "pledge.submitted" && a.EntityType == "Pledge"));
    }
}
