using FundingPortal.Core.Domain;
using FundingPortal.IntegrationTests.Infrastructure;
using FundingPortal.Web.Features.Fulfilment;

using Microsoft.EntityFrameworkCore;

namespace FundingPortal.IntegrationTests.Fulfilment;

[Collection(PortalTests.Name)]
public class DeliveryTests(PortalFactory portal)
{
    private static DeliveryInput Input(string value = "1200.00", int daysAgo = 0) => new()
    {
        On = DateTime.UtcNow.Date.AddDays(-daysAgo),
        Description = "Two Windows runners online all month",
        Value = value,
    };

    [Fact]
    public async Task A_sponsor_records_a_delivery_and_a_reviewer_confirms_its_value_on_the_installment()
    {
        var arrange = await portal.Given().SponsorshipAsync();
        var pledge = await arrange.InfrastructureAsync(120_000, PledgeSchedule.OneOff(Given.Today.AddDays(-5), Given.Today.AddDays(20)));

        var recorded = await portal.WithScopeAsync<RecordDelivery, Result<int>>(h => h.RecordAsync(arrange.OrganisationId, pledge.Id, Input(), arrange.Sponsor.Id));
        Assert.True(recorded.Succeeded, recorded.Problem?.Message);
        var queue = await portal.WithScopeAsync<ReviewDeliveries, Result<IReadOnlyList<DeliveryQueueRow>>>(h => h.QueueAsync(arrange.Reviewer.Id));
        Assert.Contains(queue.Value!, d => d.Id == recorded.Value && d.Value == "1,200.00 USD");

        var confirmed = await portal.WithScopeAsync<ReviewDeliveries, Result<int>>(h => h.ConfirmAsync(recorded.Value, arrange.Reviewer.Id));

        Assert.True(confirmed.Succeeded, confirmed.Problem?.Message);
        await using var db = portal.NewDbContext();
        var installment = await db.Installments.SingleAsync(i => i.PledgeId == pledge.Id);
        Assert.Equal((120_000L, InstallmentStatus.Fulfilled), (installment.AmountReceivedMinor, installment.Status));
        Assert.Equal(PledgeStatus.Fulfilled, (await db.Pledges.SingleAsync(p => p.Id == pledge.Id)).Status);
        Assert.True(await db.AuditEvents.AnyAsync(a => a.Action == "delivery.confirmed" && a.EntityId == Devops.Key(recorded.Value)));
    }

    [Theory]
    [InlineData("0", 0, "value")]
    [InlineData("-3", 0, "value")]
    [InlineData("1.234", 0, "value")]
    [InlineData("100", -2, "on")]
    public async Task Bad_deliveries_are_refused_on_their_field(string value, int daysAgo, string field)
    {
        var arrange = await portal.Given().SponsorshipAsync();
        var pledge = await arrange.InfrastructureAsync(120_000, PledgeSchedule.OneOff(Given.Today.AddDays(-5), Given.Today.AddDays(20)));

        var result = await portal.WithScopeAsync<RecordDelivery, Result<int>>(h => h.RecordAsync(arrange.OrganisationId, pledge.Id, Input(value, daysAgo), arrange.Sponsor.Id));

        Assert.Equal(field, result.Problem!.Field);
        await using var db = portal.NewDbContext();
        Assert.False(await db.InKindDeliveries.AnyAsync(d => d.PledgeId == pledge.Id));
    }

    [Fact]
    public async Task Another_organisation_and_sponsors_calling_reviewer_handlers_are_refused()
    {
        var arrange = await portal.Given().SponsorshipAsync();
        var other = await portal.Given().SponsorshipAsync();
        var pledge = await arrange.InfrastructureAsync(120_000, PledgeSchedule.OneOff(Given.Today.AddDays(-5), Given.Today.AddDays(20)));
        var recorded = await portal.WithScopeAsync<RecordDelivery, Result<int>>(h => h.RecordAsync(arrange.OrganisationId, pledge.Id, Input(), arrange.Sponsor.Id));

        var stranger = await portal.WithScopeAsync<RecordDelivery, Result<int>>(h => h.RecordAsync(other.OrganisationId, pledge.Id, Input(), other.Sponsor.Id));
        var sponsorAsReviewer = await portal.WithScopeAsync<RecordDelivery, Result<int>>(h => h.RecordAsReviewerAsync(pledge.Id, Input(), arrange.Sponsor.Id));
        var sponsorConfirms = await portal.WithScopeAsync<ReviewDeliveries, Result<int>>(h => h.ConfirmAsync(recorded.Value, arrange.Sponsor.Id));
        var noReason = await portal.WithScopeAsync<ReviewDeliveries, Result<int>>(h => h.RejectAsync(recorded.Value, "", arrange.Reviewer.Id));

        Assert.Equal(ProblemKind.NotFound, stranger.Problem!.Kind);
        Assert.Equal(ProblemKind.Forbidden, sponsorAsReviewer.Problem!.Kind);
        Assert.Equal(ProblemKind.Forbidden, sponsorConfirms.Problem!.Kind);
        Assert.Equal("reason", noReason.Problem!.Field);
        await using var db = portal.NewDbContext();
        Assert.Equal(1, await db.InKindDeliveries.CountAsync(d => d.PledgeId == pledge.Id));
        Assert.Equal(0, await db.Installments.Where(i => i.PledgeId == pledge.Id).SumAsync(i => i.AmountReceivedMinor));
    }

    [Fact]
    public async Task A_delivery_a_reviewer_recorded_is_confirmed_by_another_reviewer()
    {
        var arrange = await portal.Given().SponsorshipAsync();
        var second = await portal.CreateUserAsync(Roles.Reviewer, "Ray Reviewer");
        var pledge = await arrange.InfrastructureAsync(50_000, PledgeSchedule.OneOff(Given.Today.AddDays(-5), Given.Today.AddDays(20)));
        var recorded = await portal.WithScopeAsync<RecordDelivery, Result<int>>(h => h.RecordAsReviewerAsync(pledge.Id, Input("200"), arrange.Reviewer.Id));

        var self = await portal.WithScopeAsync<ReviewDeliveries, Result<int>>(h => h.ConfirmAsync(recorded.Value, arrange.Reviewer.Id));
        var other = await portal.WithScopeAsync<ReviewDeliveries, Result<int>>(h => h.ConfirmAsync(recorded.Value, second.Id));

        Assert.Equal(ProblemKind.Forbidden, self.Problem!.Kind);
        Assert.True(other.Succeeded, other.Problem?.Message);
        await using var db = portal.NewDbContext();
        var installment = await db.Installments.SingleAsync(i => i.PledgeId == pledge.Id);
        Assert.Equal((20_000L, InstallmentStatus.PartiallyFulfilled), (installment.AmountReceivedMinor, installment.Status));
    }
}
