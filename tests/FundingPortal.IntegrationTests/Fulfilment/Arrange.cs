using System.Globalization;

using FundingPortal.Core.Domain;
using FundingPortal.IntegrationTests.Infrastructure;

using Microsoft.EntityFrameworkCore;

using MimeKit;

namespace FundingPortal.IntegrationTests.Fulfilment;

/// <summary>Accepted pledges made straight through the domain (the pledge form and review are another feature), one set per test.</summary>
internal sealed class Arrange(PortalFactory portal)
{
    public static DateOnly Today => DateOnly.FromDateTime(DateTime.UtcNow);

    public TestUser Sponsor { get; private set; } = default!;

    public TestUser Reviewer { get; private set; } = default!;

    public int OrganisationId { get; private set; }

    public string BillingEmail { get; private set; } = "";

    public int FundId { get; private set; }

    public static async Task<Arrange> SponsorAndReviewerAsync(PortalFactory portal, string organisation = "Acme Compilers")
    {
        var arrange = new Arrange(portal)
        {
            Sponsor = await portal.CreateUserAsync(name: "Sam Sponsor"),
            Reviewer = await portal.CreateUserAsync(Roles.Reviewer, "Rita Reviewer"),
            BillingEmail = $"billing-{Guid.NewGuid():N}@example.com",
        };
        await using var db = portal.NewDbContext();
        var now = DateTime.UtcNow;
        var org = Organisation.Create(new OrganisationProfile(organisation, $"org-{Guid.NewGuid():N}"[..24], null, null, arrange.BillingEmail,
            PublicListing.ByName), arrange.Sponsor.Id, now);
        db.Organisations.Add(org);
        var task = DevopsTask.Propose($"Windows CI {Guid.NewGuid():N}"[..20], $"task-{Guid.NewGuid():N}"[..24], "Keep Windows builds green.",
            new Money(1_000_000, "USD"), Hours.FromHours(100), arrange.Reviewer.Id, now);
        task.MoveTo(DevopsTaskStatus.Open, arrange.Reviewer.Id, now);
        db.Tasks.Add(task);
        await db.SaveChangesAsync();
        arrange.OrganisationId = org.Id;
        arrange.FundId = await db.Funds.Where(f => f.TaskId == task.Id).Select(f => f.Id).SingleAsync();
        return arrange;
    }

    public Task<Pledge> MoneyAsync(long perPeriodMinor, string currency, PledgeSchedule schedule) =>
        SaveAsync(Pledge.SubmitMoney(OrganisationId, FundId, new Money(perPeriodMinor, currency), schedule, PaymentMethod.Invoice,
            PaymentTiming.Now, Sponsor.Id, DateTime.UtcNow));

    public Task<Pledge> EngineerTimeAsync(decimal hoursPerPeriod, PledgeSchedule schedule, string engineer = "Eve Engineer") =>
        SaveAsync(Pledge.SubmitEngineerTime(OrganisationId, FundId, Hours.FromHours(hoursPerPeriod), schedule, engineer, new Money(10_000, "USD"),
            Sponsor.Id, DateTime.UtcNow));

    public Task<Pledge> InfrastructureAsync(long perPeriodMinor, PledgeSchedule schedule) =>
        SaveAsync(Pledge.SubmitInfrastructure(OrganisationId, FundId, InfrastructureKind.RunnerCapacity, "2 Windows runners",
            new Money(perPeriodMinor, "USD"), schedule, Sponsor.Id, DateTime.UtcNow));

    public static string Key(int id) => id.ToString(CultureInfo.InvariantCulture);

    public static PledgeSchedule Monthly(DateOnly start, int periods) => new(PledgeFrequency.Monthly, start, null, periods);

    private async Task<Pledge> SaveAsync(Pledge pledge)
    {
        await using var db = portal.NewDbContext();
        Assert.True(pledge.Accept(Reviewer.Id, "Thank you", DateTime.UtcNow).Succeeded);
        db.Pledges.Add(pledge);
        await db.SaveChangesAsync();
        return pledge;
    }

    /// <summary>The emails in the pickup folder addressed to <paramref name="to"/>.</summary>
    public static IReadOnlyList<(string Subject, string Html)> EmailsTo(PortalFactory portal, string to)
    {
        if (!Directory.Exists(portal.MailFolder))
        {
            return [];
        }
        var found = new List<(string, string)>();
        foreach (var file in Directory.EnumerateFiles(portal.MailFolder, "*.eml"))
        {
            using var message = MimeMessage.Load(file);
            if (message.To.Mailboxes.Any(m => string.Equals(m.Address, to, StringComparison.OrdinalIgnoreCase)))
            {
                found.Add((message.Subject ?? "", message.HtmlBody ?? ""));
            }
        }
        return found;
    }
}
