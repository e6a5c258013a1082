using System.Net;
using System.Text;

using FundingPortal.Core.Domain;
using FundingPortal.IntegrationTests.Infrastructure;
using FundingPortal.Web.Features.Expenses;

using Microsoft.EntityFrameworkCore;

using static FundingPortal.IntegrationTests.Infrastructure.Devops;

namespace FundingPortal.IntegrationTests.Expenses;

[Collection(PortalTests.Name)]
public class ExpenseTests(PortalFactory portal)
{
    private static readonly byte[] Pdf = Encoding.ASCII.GetBytes("%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n");

    private static ExpenseInput Input(int fundId, string amount = "300.00", string currency = "USD") => new()
    {
        Vendor = "CircleCI",
        Description = $"Credits {Guid.NewGuid():N}",
        Category = ExpenseCategory.CiCredits,
        Amount = amount,
        Currency = currency,
        IncurredOn = DateTime.UtcNow.Date.AddDays(-1),
        FundId = fundId,
    };

    private static ReceiptUpload Receipt(byte[] bytes, string name = "invoice.pdf", long? size = null) => new(name, size ?? bytes.Length, new MemoryStream(bytes));

    private Task<Result<int>> SubmitAsync(TestUser user, ExpenseInput input, ReceiptUpload? receipt) =>
        portal.WithScopeAsync<SubmitExpense, Result<int>>(s => s.SubmitAsync(input, receipt, user.Id));

    private async Task<(TestUser Submitter, TestUser Approver, int FundId)> ArrangeAsync(long balance = 100_000)
    {
        var submitter = await portal.CreateUserAsync(Roles.Reviewer, "Sam Submitter");
        var approver = await portal.CreateUserAsync(Roles.Reviewer, "Ann Approver");
        var (_, fundId) = await portal.ProposeTaskAsync(submitter, "Expense fund");
        await portal.ContributeAsync(fundId, balance);
        return (submitter, approver, fundId);
    }

    private async Task<int> VersionAsync(int id)
    {
        await using var db = portal.NewDbContext();
        return (await db.Expenses.SingleAsync(e => e.Id == id)).Version;
    }

    [Fact]
    public async Task Submitted_approved_by_another_reviewer_and_paid_books_the_expense_on_the_fund_with_every_step_audited()
    {
        var (submitter, approver, fundId) = await ArrangeAsync();
        var id = (await SubmitAsync(submitter, Input(fundId), Receipt(Pdf))).Value;

        var own = await portal.WithScopeAsync<ReviewExpense, Result<int>>(r => r.ApproveAsync(id, 0, submitter.Id));
        var approved = await portal.WithScopeAsync<ReviewExpense, Result<int>>(r => r.ApproveAsync(id, 0, approver.Id));
        var version = await VersionAsync(id);
        var paid = await portal.WithScopeAsync<ReviewExpense, Result<int>>(r => r.MarkPaidAsync(id, version, null, approver.Id));

        Assert.Equal(ProblemKind.Forbidden, own.Problem!.Kind);
        Assert.True(approved.Succeeded, approved.Problem?.Message);
        Assert.True(paid.Succeeded, paid.Problem?.Message);
        Assert.Equal(100_000 - 30_000, await portal.BalanceAsync(fundId));
        await using var db = portal.NewDbContext();
        var expense = await db.Expenses.SingleAsync(e => e.Id == id);
        Assert.Equal((ExpenseStatus.Paid, approver.Id, approver.Id), (expense.Status, expense.ApprovedByUserId, expense.PaidByUserId));
        Assert.Equal(("application/pdf", "invoice.pdf"), (expense.ReceiptContentType, expense.ReceiptFileName));
        Assert.StartsWith("receipts/", expense.ReceiptStoragePath, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(portal.DataFolder, expense.ReceiptStoragePath!)));
        var entry = await db.LedgerEntries.SingleAsync(e => e.ExpenseId == id);
        Assert.Equal((LedgerEntryKind.Expense, -30_000L), (entry.Kind, entry.AmountMinor));
        var actions = await db.AuditEvents.Where(a => a.EntityType == nameof(Expense) && a.EntityId == Key(id)).Select(a => a.Action).ToListAsync();
        Assert.Equal(["expense.approved", "expense.paid", "expense.submitted"], actions.Order());
    }

    [Fact]
    public async Task An_expense_in_another_currency_is_paid_at_the_given_rate_keeping_the_original()
    {
        var (submitter, approver, fundId) = await ArrangeAsync();
        var id = (await SubmitAsync(submitter, Input(fundId, "200.00", "EUR"), Receipt(Pdf))).Value;
        await portal.WithScopeAsync<ReviewExpense, Result<int>>(r => r.ApproveAsync(id, 0, approver.Id));
        var version = await VersionAsync(id);

        var noRate = await portal.WithScopeAsync<ReviewExpense, Result<int>>(r => r.MarkPaidAsync(id, version, "", approver.Id));
        var paid = await portal.WithScopeAsync<ReviewExpense, Result<int>>(r => r.MarkPaidAsync(id, version, "1.1", approver.Id));

        Assert.Equal("rate", noRate.Problem!.Field);
        Assert.True(paid.Succeeded, paid.Problem?.Message);
        await using var db = portal.NewDbContext();
        var entry = await db.LedgerEntries.SingleAsync(e => e.ExpenseId == id);
        Assert.Equal((-22_000L, "USD", -20_000L, "EUR", 1.1m), (entry.AmountMinor, entry.Currency, entry.OriginalAmountMinor, entry.OriginalCurrency, entry.ExchangeRate));
    }

    [Fact]
    public async Task A_fund_cannot_pay_more_than_it_holds()
    {
        var (submitter, approver, fundId) = await ArrangeAsync(balance: 10_000);
        var id = (await SubmitAsync(submitter, Input(fundId), Receipt(Pdf))).Value;
        await portal.WithScopeAsync<ReviewExpense, Result<int>>(r => r.ApproveAsync(id, 0, approver.Id));

        var paid = await portal.WithScopeAsync<ReviewExpense, Result<int>>(async r => await r.MarkPaidAsync(id, await VersionAsync(id), null, approver.Id));

        Assert.Equal(ProblemKind.Conflict, paid.Problem!.Kind);
        Assert.Equal(10_000, await portal.BalanceAsync(fundId));
        await using var db = portal.NewDbContext();
        Assert.Equal(ExpenseStatus.Approved, (await db.Expenses.SingleAsync(e => e.Id == id)).Status);
    }

    [Fact]
    public async Task A_reviewer_acting_on_a_stale_version_is_told_and_nothing_is_lost()
    {
        var (submitter, approver, fundId) = await ArrangeAsync();
        var third = await portal.CreateUserAsync(Roles.Reviewer);
        var id = (await SubmitAsync(submitter, Input(fundId), Receipt(Pdf))).Value;

        var first = await portal.WithScopeAsync<ReviewExpense, Result<int>>(r => r.ApproveAsync(id, 0, approver.Id));
        var second = await portal.WithScopeAsync<ReviewExpense, Result<int>>(r => r.RejectAsync(id, 0, "too expensive", third.Id));

        Assert.True(first.Succeeded);
        Assert.Equal(ReviewExpense.ChangedMessage, second.Problem!.Message);
        await using var db = portal.NewDbContext();
        var expense = await db.Expenses.SingleAsync(e => e.Id == id);
        Assert.Equal((ExpenseStatus.Approved, approver.Id, (string?)null), (expense.Status, expense.ApprovedByUserId, expense.RejectedByUserId));
    }

    [Fact]
    public async Task A_rejection_needs_a_reason()
    {
        var (submitter, approver, fundId) = await ArrangeAsync();
        var id = (await SubmitAsync(submitter, Input(fundId), Receipt(Pdf))).Value;

        var noReason = await portal.WithScopeAsync<ReviewExpense, Result<int>>(r => r.RejectAsync(id, 0, " ", approver.Id));
        var rejected = await portal.WithScopeAsync<ReviewExpense, Result<int>>(r => r.RejectAsync(id, 0, "Duplicate of another bill", approver.Id));

        Assert.Equal("reason", noReason.Problem!.Field);
        Assert.True(rejected.Succeeded);
        await using var db = portal.NewDbContext();
        Assert.Equal("Duplicate of another bill", (await db.Expenses.SingleAsync(e => e.Id == id)).RejectionReason);
    }

    public static TheoryData<string, string, string> BadExpenses => new()
    {
        { nameof(ExpenseInput.Amount), "0", "USD" },
        { nameof(ExpenseInput.Amount), "-3", "USD" },
        { nameof(ExpenseInput.Amount), "1.234", "USD" },
        { nameof(ExpenseInput.Amount), "10.5", "JPY" },
        { nameof(ExpenseInput.Amount), "9999999999999999", "USD" },
        { nameof(ExpenseInput.Currency), "10", "XXX" },
    };

    [Theory]
    [MemberData(nameof(BadExpenses))]
    public async Task Bad_amounts_are_refused_on_their_field_and_nothing_is_saved(string field, string amount, string currency)
    {
        var (submitter, _, fundId) = await ArrangeAsync();

        var result = await SubmitAsync(submitter, Input(fundId, amount, currency), Receipt(Pdf));

        Assert.Equal((ProblemKind.Invalid, field), (result.Problem!.Kind, result.Problem.Field));
        await AssertNothingSavedAsync(submitter);
    }

    [Fact]
    public async Task A_future_date_a_missing_fund_or_vendor_is_refused()
    {
        var (submitter, _, fundId) = await ArrangeAsync();
        var future = Input(fundId);
        future.IncurredOn = DateTime.UtcNow.Date.AddDays(2);
        var noFund = Input(fundId);
        noFund.FundId = null;
        var noVendor = Input(fundId);
        noVendor.Vendor = " ";

        Assert.Equal(nameof(ExpenseInput.IncurredOn), (await SubmitAsync(submitter, future, Receipt(Pdf))).Problem!.Field);
        Assert.Equal(nameof(ExpenseInput.FundId), (await SubmitAsync(submitter, noFund, Receipt(Pdf))).Problem!.Field);
        Assert.Equal(nameof(ExpenseInput.Vendor), (await SubmitAsync(submitter, noVendor, Receipt(Pdf))).Problem!.Field);
        await AssertNothingSavedAsync(submitter);
    }

    [Fact]
    public async Task Receipts_that_are_too_big_missing_or_not_a_pdf_or_image_are_refused_and_nothing_is_written()
    {
        var (submitter, _, fundId) = await ArrangeAsync();
        var exe = new byte[] { 0x4D, 0x5A, 0x90, 0x00, 0x03, 0x00, 0x00, 0x00 };
        var huge = new byte[ReceiptFiles.MaxBytes + 1];
        Pdf.CopyTo(huge, 0);
        var before = ReceiptCount();

        var renamed = await SubmitAsync(submitter, Input(fundId), Receipt(exe, "invoice.pdf"));
        var tooBig = await SubmitAsync(submitter, Input(fundId), Receipt(huge));
        var lyingSize = await SubmitAsync(submitter, Input(fundId), Receipt(huge, size: 1000));
        var none = await SubmitAsync(submitter, Input(fundId), null);

        Assert.All(new[] { renamed, tooBig, lyingSize, none }, r => Assert.Equal("Receipt", r.Problem!.Field));
        Assert.Contains("PDF, PNG or JPEG", renamed.Problem!.Message, StringComparison.Ordinal);
        Assert.Contains("10 MB", tooBig.Problem!.Message, StringComparison.Ordinal);
        Assert.Contains("10 MB", lyingSize.Problem!.Message, StringComparison.Ordinal);
        await AssertNothingSavedAsync(submitter);
        Assert.Equal(before, ReceiptCount());
    }

    [Fact]
    public async Task Png_and_jpeg_receipts_are_recognised_by_their_bytes()
    {
        var (submitter, _, fundId) = await ArrangeAsync();
        byte[] png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0];
        byte[] jpeg = [0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10];

        var pngId = (await SubmitAsync(submitter, Input(fundId), Receipt(png, "scan.jpeg"))).Value;
        var jpegId = (await SubmitAsync(submitter, Input(fundId), Receipt(jpeg, "../../etc/photo.jpg"))).Value;

        await using var db = portal.NewDbContext();
        var stored = await db.Expenses.Where(e => e.Id == pngId || e.Id == jpegId).OrderBy(e => e.Id).Select(e => new { e.ReceiptContentType, e.ReceiptFileName }).ToListAsync();
        Assert.Equal([("image/png", "scan.png"), ("image/jpeg", "photo.jpg")], stored.Select(s => (s.ReceiptContentType!, s.ReceiptFileName!)));
    }

    [Fact]
    public async Task A_sponsor_cannot_submit_review_pay_or_list_expenses()
    {
        var (submitter, _, fundId) = await ArrangeAsync();
        var sponsor = await portal.CreateUserAsync();
        var id = (await SubmitAsync(submitter, Input(fundId), Receipt(Pdf))).Value;

        var submitted = await SubmitAsync(sponsor, Input(fundId), Receipt(Pdf));
        var approved = await portal.WithScopeAsync<ReviewExpense, Result<int>>(r => r.ApproveAsync(id, 0, sponsor.Id));
        var rejected = await portal.WithScopeAsync<ReviewExpense, Result<int>>(r => r.RejectAsync(id, 0, "no", sponsor.Id));
        var paid = await portal.WithScopeAsync<ReviewExpense, Result<int>>(r => r.MarkPaidAsync(id, 0, null, sponsor.Id));
        var listed = await portal.WithScopeAsync<GetExpenses, Result<ExpenseListPage>>(g => g.ListAsync(sponsor.Id));

        Assert.All(new[] { submitted.Problem, approved.Problem, rejected.Problem, paid.Problem, listed.Problem }, p => Assert.Equal(ProblemKind.Forbidden, p!.Kind));
        await AssertNothingSavedAsync(sponsor);
        await using var db = portal.NewDbContext();
        Assert.Equal(ExpenseStatus.Submitted, (await db.Expenses.SingleAsync(e => e.Id == id)).Status);
    }

    [Fact]
    public async Task The_receipt_downloads_as_an_attachment_for_reviewers_only()
    {
        var (submitter, approver, fundId) = await ArrangeAsync();
        var sponsor = await portal.CreateUserAsync();
        var id = (await SubmitAsync(submitter, Input(fundId), Receipt(Pdf, "march invoice.pdf"))).Value;
        var path = $"/devops/expenses/{id}/receipt";

        var anonymous = await portal.NewBrowserlikeClient().GetAsync(path);
        var asSponsor = await (await SignIn.AsAsync(portal, sponsor)).GetAsync(path);
        var asReviewer = await (await SignIn.AsAsync(portal, approver)).GetAsync(path);

        Assert.Equal(HttpStatusCode.Redirect, anonymous.StatusCode);
        Assert.Contains("/Account/Login", anonymous.Headers.Location!.ToString(), StringComparison.Ordinal);
        Assert.True(asSponsor.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.Redirect, asSponsor.StatusCode.ToString());
        Assert.DoesNotContain("/devops/expenses", asSponsor.Headers.Location?.ToString() ?? "", StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, asReviewer.StatusCode);
        Assert.Equal("application/pdf", asReviewer.Content.Headers.ContentType!.MediaType);
        Assert.Equal("attachment", asReviewer.Content.Headers.ContentDisposition!.DispositionType);
        Assert.Equal("march invoice.pdf", asReviewer.Content.Headers.ContentDisposition.FileNameStar ?? asReviewer.Content.Headers.ContentDisposition.FileName?.Trim('"'));
        Assert.Equal(Pdf, await asReviewer.Content.ReadAsByteArrayAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await (await SignIn.AsAsync(portal, approver)).GetAsync("/devops/expenses/999999/receipt")).StatusCode);
    }

    private async Task AssertNothingSavedAsync(TestUser user)
    {
        await using var db = portal.NewDbContext();
        Assert.False(await db.Expenses.AnyAsync(e => e.SubmittedByUserId == user.Id));
    }

    private int ReceiptCount() =>
        Directory.Exists(Path.Combine(portal.DataFolder, "receipts")) ? Directory.GetFiles(Path.Combine(portal.DataFolder, "receipts")).Length : 0;
}
