using FundingPortal.Core.Domain;
using FundingPortal.IntegrationTests.Infrastructure;
using FundingPortal.Web.Features.Expenses;

using Microsoft.EntityFrameworkCore;

namespace FundingPortal.IntegrationTests.Expenses;

/// <summary>
/// The expense list a page at a time with a status filter, the ones needing action first, and one expense with its history. Other tests
/// add expenses to the same database, so these compare with what was there before instead of counting from zero.
/// </summary>
[Collection(PortalTests.Name)]
public class ExpenseListTests(PortalFactory portal)
{
    private static readonly byte[] Pdf = System.Text.Encoding.ASCII.GetBytes("%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n");

    private async Task<List<int>> ArrangeAsync(TestUser submitter, int fundId, int count, string vendor)
    {
        await using var db = portal.NewDbContext();
        var expenses = Enumerable.Range(0, count)
            .Select(i => Expense.Submit(fundId, vendor, $"Build credits, batch {i}", ExpenseCategory.CiCredits, new Money(1_000 + i, "USD"),
                new DateOnly(2026, 1, 1).AddDays(i % 28), submitter.Id, DateTime.UtcNow))
            .ToList();
        db.Expenses.AddRange(expenses);
        await db.SaveChangesAsync();
        return [.. expenses.Select(e => e.Id)];
    }

    private async Task<int> VersionAsync(int id)
    {
        await using var db = portal.NewDbContext();
        return await db.Expenses.Where(e => e.Id == id).Select(e => e.Version).SingleAsync();
    }

    private Task<Result<ExpenseListPage>> ListAsync(TestUser user, ExpenseStatus? status, int page) =>
        portal.WithScopeAsync<GetExpenses, Result<ExpenseListPage>>(g => g.ListAsync(user.Id, status, page));

    [Fact]
    public async Task The_submitted_filter_pages_every_submitted_expense_once_and_counts_them()
    {
        var submitter = await portal.CreateUserAsync(Roles.Reviewer);
        var (_, fundId) = await portal.ProposeTaskAsync(submitter, "Paged expenses");
        var before = (await ListAsync(submitter, ExpenseStatus.Submitted, 0)).Value!.Total;
        var mine = await ArrangeAsync(submitter, fundId, 60, $"Vendor {Guid.NewGuid():N}");

        var first = (await ListAsync(submitter, ExpenseStatus.Submitted, 0)).Value!;
        var seen = new List<ExpenseRow>();
        for (var page = 0; page < first.PageCount; page++)
        {
            var rows = (await ListAsync(submitter, ExpenseStatus.Submitted, page)).Value!.Rows;
            Assert.InRange(rows.Count, 1, GetExpenses.PageSize);
            seen.AddRange(rows);
        }

        Assert.Equal(before + 60, first.Total);
        Assert.Equal(first.Total, first.Counts[ExpenseStatus.Submitted]);
        Assert.Equal(GetExpenses.PageSize, first.Rows.Count);
        Assert.Equal(first.Total, seen.Count);
        Assert.Equal(seen.Count, seen.Select(r => r.Id).Distinct().Count());
        Assert.All(seen, r => Assert.Equal(ExpenseStatus.Submitted, r.Status));
        Assert.Subset(seen.Select(r => r.Id).ToHashSet(), mine.ToHashSet());
        Assert.Equal(seen.Select(r => r.Id).OrderDescending(), seen.Select(r => r.Id));
    }

    [Fact]
    public async Task The_whole_list_shows_those_waiting_for_approval_first_then_those_waiting_to_be_paid()
    {
        var submitter = await portal.CreateUserAsync(Roles.Reviewer);
        var approver = await portal.CreateUserAsync(Roles.Reviewer);
        var (_, fundId) = await portal.ProposeTaskAsync(submitter, "Ordered expenses");
        var ids = await ArrangeAsync(submitter, fundId, 3, "Ordering vendor");
        var approved = await portal.WithScopeAsync<ReviewExpense, Result<int>>(r => r.ApproveAsync(ids[0], 0, approver.Id));
        var rejected = await portal.WithScopeAsync<ReviewExpense, Result<int>>(r => r.RejectAsync(ids[1], 0, "Not ours", approver.Id));
        Assert.True(approved.Succeeded && rejected.Succeeded);

        var all = new List<ExpenseRow>();
        var first = (await ListAsync(approver, null, 0)).Value!;
        for (var page = 0; page < first.PageCount; page++)
        {
            all.AddRange((await ListAsync(approver, null, page)).Value!.Rows);
        }

        Assert.Equal(first.Counts.Values.Sum(), first.Total);
        Assert.Equal(first.Total, all.Count);
        var ranks = all.Select(r => r.Status switch { ExpenseStatus.Submitted => 0, ExpenseStatus.Approved => 1, _ => 2 }).ToList();
        Assert.Equal(ranks.Order(), ranks);
        Assert.Contains(all, r => r.Id == ids[0] && r.Status == ExpenseStatus.Approved);
        Assert.Contains(all, r => r.Id == ids[1] && r.Status == ExpenseStatus.Rejected);
    }

    [Fact]
    public async Task An_expense_reads_with_its_history_for_reviewers_only()
    {
        var submitter = await portal.CreateUserAsync(Roles.Reviewer);
        var approver = await portal.CreateUserAsync(Roles.Reviewer);
        var sponsor = await portal.CreateUserAsync();
        var (_, fundId) = await portal.ProposeTaskAsync(submitter, "Expense history");
        await portal.ContributeAsync(fundId, 100_000);
        var input = new ExpenseInput
        {
            Vendor = "Hetzner",
            Description = "A build server for March",
            Category = ExpenseCategory.BuildServer,
            Amount = "80.00",
            Currency = "USD",
            IncurredOn = DateTime.UtcNow.Date.AddDays(-2),
            FundId = fundId,
        };
        var submitted = await portal.WithScopeAsync<SubmitExpense, Result<int>>(s => s.SubmitAsync(input, new ReceiptUpload("march.pdf", Pdf.Length, new MemoryStream(Pdf)), submitter.Id));
        Assert.True(submitted.Succeeded, submitted.Problem?.Message);
        var id = submitted.Value;
        var approved = await portal.WithScopeAsync<ReviewExpense, Result<int>>(async r => await r.ApproveAsync(id, await VersionAsync(id), approver.Id));
        Assert.True(approved.Succeeded, approved.Problem?.Message);
        var paid = await portal.WithScopeAsync<ReviewExpense, Result<int>>(async r => await r.MarkPaidAsync(id, await VersionAsync(id), null, approver.Id));
        Assert.True(paid.Succeeded, paid.Problem?.Message);

        var detail = await portal.WithScopeAsync<GetExpenses, Result<ExpenseDetail>>(g => g.DetailAsync(id, submitter.Id));
        var asSponsor = await portal.WithScopeAsync<GetExpenses, Result<ExpenseDetail>>(g => g.DetailAsync(id, sponsor.Id));
        var missing = await portal.WithScopeAsync<GetExpenses, Result<ExpenseDetail>>(g => g.DetailAsync(int.MaxValue, submitter.Id));

        Assert.True(detail.Succeeded, detail.Problem?.Message);
        var shown = detail.Value!;
        Assert.Equal(("Hetzner", "A build server for March", ExpenseStatus.Paid, "80.00 USD"), (shown.Row.Vendor, shown.Row.Description, shown.Row.Status, shown.Row.Amount.ToString()));
        Assert.Equal(["Submitted", "Approved", "Marked paid and booked on the ledger"], shown.History.Select(h => h.Action));
        Assert.Equal([submitter.Email, approver.Email, approver.Email], shown.History.Select(h => h.By));
        Assert.NotNull(shown.LedgerEntryId);
        Assert.Equal(approver.Email, shown.PaidBy);
        Assert.Equal(ProblemKind.Forbidden, asSponsor.Problem!.Kind);
        Assert.Equal(ProblemKind.NotFound, missing.Problem!.Kind);
    }
}
