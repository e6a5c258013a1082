namespace FundingPortal.Web.Features.Expenses;

/// <summary>A reviewer records money spent from a fund, with its receipt. The receipt is written first and removed again if the save fails.</summary>
public sealed class SubmitExpense(Handlers handlers, ReceiptFiles receipts)
{
    private static readonly HandlerRules Reviewers = new(Caller.Reviewer, "Only reviewers can record expenses.");

    public Task<Result<int>> SubmitAsync(ExpenseInput input, ReceiptUpload? receipt, string userId, CancellationToken cancellationToken = default) =>
        handlers.RunAsync(userId, Reviewers, scope => SubmitAsync(input, receipt, scope, cancellationToken), cancellationToken);

    private async Task<Result<int>> SubmitAsync(ExpenseInput input, ReceiptUpload? receipt, HandlerScope scope, CancellationToken cancellationToken)
    {
        var (db, userId, now) = scope;
        var checks = new FieldChecks();
        var vendor = input.Vendor.Trim();
        checks.Require(vendor.Length > 0 && vendor.Length <= ExpenseInput.VendorMaxLength, nameof(ExpenseInput.Vendor), $"Name the vendor (up to {ExpenseInput.VendorMaxLength} characters).");
        var description = input.Description.Trim();
        checks.Require(description.Length > 0 && description.Length <= ExpenseInput.DescriptionMaxLength, nameof(ExpenseInput.Description),
            $"Say what was bought (up to {ExpenseInput.DescriptionMaxLength} characters).");
        checks.Require(Enum.IsDefined(input.Category), nameof(ExpenseInput.Category), "Choose a category.");
        var amount = Money.ParsePositive(input.Amount, input.Currency);
        if (!amount.Succeeded)
        {
            checks.Add(amount.Problem!.Field == "currency" ? nameof(ExpenseInput.Currency) : nameof(ExpenseInput.Amount), amount.Problem.Message);
        }
        checks.Require(input.IncurredOn is { } incurred && DateOnly.FromDateTime(incurred) <= DateOnly.FromDateTime(now), nameof(ExpenseInput.IncurredOn),
            "Enter the date the expense was incurred (today or earlier).");
        checks.Require(input.FundId is { } fundId && await db.Funds.AnyAsync(f => f.Id == fundId, cancellationToken), nameof(ExpenseInput.FundId),
            "Choose the fund that pays for it.");
        var linkCiBill = input.Category == ExpenseCategory.CiInvoice && input.CiProviderId is not null;
        if (linkCiBill)
        {
            checks.Require(await db.CiProviders.AnyAsync(p => p.Id == input.CiProviderId, cancellationToken), nameof(ExpenseInput.CiProviderId),
                "Choose a CI provider the portal knows.");
            checks.Require(input.BillingMonth is not null, nameof(ExpenseInput.BillingMonth), "Enter the month the CI invoice bills.");
        }
        var file = await ReadReceiptAsync(receipt, cancellationToken);
        if (!file.Succeeded)
        {
            checks.Add(file.Problem!);
        }
        if (checks.Problem is { } problem)
        {
            return problem;
        }
        var (bytes, contentType, extension) = file.Value!;

        var expense = Expense.Submit(input.FundId!.Value, vendor, description, input.Category, amount.Value, DateOnly.FromDateTime(input.IncurredOn!.Value), userId, now);
        if (linkCiBill)
        {
            expense.LinkCiBill(input.CiProviderId!.Value, DateOnly.FromDateTime(input.BillingMonth!.Value));
        }
        var stored = await receipts.SaveAsync(bytes, extension, cancellationToken);
        expense.AttachReceipt(SafeFileName(receipt!.FileName, extension), contentType, stored);
        try
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            db.Expenses.Add(expense);
            await db.SaveChangesAsync(cancellationToken);
            db.Audit("expense.submitted", nameof(Expense), expense.Id.ToString(CultureInfo.InvariantCulture), userId, now,
                after: new { vendor, description, Category = input.Category.ToString(), Amount = amount.Value.ToString(), fundId = input.FundId, expense.ReceiptFileName });
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return Result<int>.Ok(expense.Id);
        }
        catch
        {
            receipts.Delete(stored);
            throw;
        }
    }

    private static async Task<Result<(byte[] Bytes, string ContentType, string Extension)>> ReadReceiptAsync(ReceiptUpload? receipt, CancellationToken cancellationToken)
    {
        const string field = "Receipt";
        if (receipt is null)
        {
            return Result<(byte[], string, string)>.Invalid(field, "Attach the receipt (PDF, PNG or JPEG).");
        }
        if (receipt.Size > ReceiptFiles.MaxBytes)
        {
            return TooBig();
        }
        // Read at most one byte more than allowed: the size the browser claims is not trusted.
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await receipt.Content.ReadAsync(chunk, cancellationToken)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > ReceiptFiles.MaxBytes)
            {
                return TooBig();
            }
        }
        if (buffer.Length == 0)
        {
            return Result<(byte[], string, string)>.Invalid(field, "The receipt file is empty.");
        }
        var bytes = buffer.ToArray();
        if (ReceiptFiles.Recognise(bytes) is not { } kind)
        {
            return Result<(byte[], string, string)>.Invalid(field, "The receipt must be a PDF, PNG or JPEG file; this file is none of those, whatever its name says.");
        }
        return Result<(byte[], string, string)>.Ok((bytes, kind.ContentType, kind.Extension));

        static Result<(byte[], string, string)> TooBig() =>
            Result<(byte[], string, string)>.Invalid(field, $"The receipt is larger than {ReceiptFiles.MaxBytes / (1024 * 1024)} MB.");
    }

    /// <summary>The name offered on download: the uploaded name without its path and odd characters, with the extension of what it really is.</summary>
    private static string SafeFileName(string name, string extension)
    {
        var stem = Path.GetFileNameWithoutExtension(Path.GetFileName(name.Replace('\\', '/')));
        var clean = new string(stem.Where(c => char.IsLetterOrDigit(c) || c is '-' or '_' or '.' or ' ').ToArray()).Trim();
        if (clean.Length == 0)
        {
            clean = "receipt";
        }
        return (clean.Length > 100 ? clean[..100] : clean) + extension;
    }
}
