namespace FundingPortal.Web.Features.Demo;

/// <summary>
/// Saves pledges realised by <see cref="Realise"/> with what hangs off them: payments with their receipts and refunds, the ledger
/// entries that book them, time entries and deliveries with their reviews, donated credit pools, and the reminders already sent.
/// </summary>
internal sealed partial class DemoSeeding
{
    /// <summary>
    /// Saves a batch of pledges, then what hangs off them in the order the foreign keys need: payments, refunds, then ledger
    /// entries, time entries, deliveries and the credit pool.
    /// </summary>
    private async Task SaveFulfilledAsync(List<SeededPledge> batch, Random random)
    {
        db.Pledges.AddRange(batch.Select(s => s.Pledge));
        await SaveAsync();

        var payments = batch.SelectMany(s => s.Payments.Select(p => (Seeded: s, Plan: p, Payment: Payment.Record(Receipt(s, p, random))))).ToList();
        var duplicates = payments.Where(p => p.Plan.Installment is null).ToList();
        foreach (var duplicate in duplicates)
        {
            duplicate.Payment.RecordRefund(duplicate.Payment.AmountMinor);
        }
        db.Payments.AddRange(payments.Select(p => p.Payment));
        await SaveAsync();

        var refunds = duplicates.Select(d => (d.Seeded, d.Payment, Refund: Refund.Create(d.Payment.Id, d.Payment.Amount,
            $"re_demo_{NextReference():x6}{Hex(random, 8)}", "Duplicate card payment", d.Payment.ReceivedAt.AddDays(2)))).ToList();
        db.Refunds.AddRange(refunds.Select(r => r.Refund));
        await SaveAsync();

        foreach (var (seeded, _, payment) in payments)
        {
            BookPayment(seeded, payment);
        }
        foreach (var (seeded, payment, refund) in refunds)
        {
            Book(payment.FundId, LedgerEntryKind.Refund, -payment.Amount, $"Refund to {seeded.Plan.Sponsor.PublicName}: duplicate card payment",
                refund.RefundedAt, refund.RefundedAt, null, seeded.Plan.Sponsor.Id, payment.Id, refund.Id);
        }
        foreach (var seeded in batch)
        {
            AddTimeEntries(seeded);
            AddDeliveries(seeded);
            AddCreditPool(seeded);
            seeded.Pledge.Settle(_today, GracePeriodDays, now);
            AddReminderHistory(seeded);
        }
        // Confirming hours and deliveries and settling changed installments and pledges saved above.
        db.ChangeTracker.DetectChanges();
        await FlushAsync();
    }

    /// <summary>
    /// The reminders the follow-up job would have sent so far for what is still overdue, so a fresh demo portal does not send a
    /// year of reminders on its first start.
    /// </summary>
    private void AddReminderHistory(SeededPledge seeded)
    {
        if (seeded.Pledge.Status != PledgeStatus.Active)
        {
            return;
        }
        foreach (var installment in seeded.Pledge.Installments.Where(i => i.NeedsFollowUp(_today)))
        {
            var stages = InstallmentReminder.StageFor(installment.DaysOverdue(_today), ReminderIntervalDays);
            for (var stage = 0; stage <= stages; stage++)
            {
                var sentAt = installment.DueDate.AddDays(stage * ReminderIntervalDays).ToDateTime(new TimeOnly(6, 0), DateTimeKind.Utc);
                db.InstallmentReminders.Add(InstallmentReminder.Claim(installment.Id, stage, $"billing@{seeded.Plan.Sponsor.Slug}.example", sentAt));
            }
        }
    }

    private PaymentReceipt Receipt(SeededPledge seeded, PaymentPlan plan, Random random)
    {
        var pledge = seeded.Pledge;
        var sponsor = seeded.Plan.Sponsor;
        var (baseAmount, rate) = ToBase(plan.Amount);
        var number = NextReference();
        switch (pledge.PaymentMethod)
        {
            case PaymentMethod.Card:
                // Stripe keeps 2.9% + 30 cents; the fee is booked on the ledger as its own entry.
                var fee = (long)decimal.Round(baseAmount.MinorUnits * 0.029m, 0, MidpointRounding.AwayFromZero) + ToBase(new Money(30, "USD")).Amount.MinorUnits;
                var intent = $"pi_demo_{number:x6}{Hex(random, 9)}";
                if (pledge.Frequency == PledgeFrequency.OneOff)
                {
                    return new PaymentReceipt(sponsor.Id, pledge.Id, plan.Installment?.Id, pledge.FundId, PaymentChannel.Stripe, plan.Amount, baseAmount, rate,
                        plan.ReceivedAt, null, intent, null, fee, StripeCheckoutSessionId: $"cs_demo_{number:x6}{Hex(random, 12)}", StripePaymentIntentId: intent);
                }
                var invoice = $"in_demo_{number:x6}{Hex(random, 9)}";
                return new PaymentReceipt(sponsor.Id, pledge.Id, plan.Installment?.Id, pledge.FundId, PaymentChannel.Stripe, plan.Amount, baseAmount, rate,
                    plan.ReceivedAt, null, invoice, null, fee, StripePaymentIntentId: intent, StripeInvoiceId: invoice);
            case PaymentMethod.Invoice:
                var invoiceNumber = $"INV-{plan.ReceivedAt.Year}-{number:D6}";
                return new PaymentReceipt(sponsor.Id, pledge.Id, plan.Installment?.Id, pledge.FundId, PaymentChannel.Invoice, plan.Amount, baseAmount, rate,
                    plan.ReceivedAt, invoiceNumber, invoiceNumber, _reviewer.Id);
            default:
                return new PaymentReceipt(sponsor.Id, pledge.Id, plan.Installment?.Id, pledge.FundId, PaymentChannel.BankTransfer, plan.Amount, baseAmount, rate,
                    plan.ReceivedAt, $"{sponsor.Slug.ToUpperInvariant()} PLEDGE {pledge.Id}", $"bank-{plan.ReceivedAt:yyyyMMdd}-{number:D7}", _reviewer.Id);
        }
    }

    private void BookPayment(SeededPledge seeded, Payment payment)
    {
        var sponsor = seeded.Plan.Sponsor;
        // Stripe payments are booked by the webhook within seconds; bank and invoice payments when a reviewer reconciles them.
        var recordedAt = payment.Channel == PaymentChannel.Stripe
            ? payment.ReceivedAt.AddSeconds(4)
            : NotAfterNow(payment.ReceivedAt.AddHours(20 + (payment.Id % 50)));
        Book(payment.FundId, LedgerEntryKind.Contribution, payment.Amount, $"Contribution from {sponsor.PublicName}", payment.ReceivedAt, recordedAt,
            payment.RecordedByUserId, sponsor.Id, payment.Id);
        if (payment.FeeBaseMinor > 0)
        {
            Book(payment.FundId, LedgerEntryKind.Fee, new Money(-payment.FeeBaseMinor, payment.BaseCurrency), "Stripe processing fee", payment.ReceivedAt,
                recordedAt, null, sponsor.Id, payment.Id);
        }
    }

    private void AddTimeEntries(SeededPledge seeded)
    {
        var engineer = seeded.Plan.EngineerName ?? PersonName(seeded.Plan.Sponsor.Id + 500);
        foreach (var log in seeded.TimeLogs)
        {
            var entry = Must(TimeEntry.Log(seeded.Pledge, log.Date, engineer, log.Hours, log.Description, seeded.Plan.Sponsor.OwnerUserId, _today,
                log.Date.ToDateTime(new TimeOnly(17, 30), DateTimeKind.Utc)));
            if (log.Outcome == ConfirmationStatus.Confirmed)
            {
                Must(entry.Confirm(log.Installment, _reviewer.Id, log.ReviewedAt));
            }
            else if (log.Outcome == ConfirmationStatus.Rejected)
            {
                Must(entry.Reject(_reviewer.Id, log.RejectionReason!, log.ReviewedAt));
            }
            db.TimeEntries.Add(entry);
        }
    }

    private void AddDeliveries(SeededPledge seeded)
    {
        foreach (var plan in seeded.Deliveries)
        {
            var delivery = Must(InKindDelivery.Record(seeded.Pledge, plan.On, plan.Description, plan.Value, seeded.Plan.Sponsor.OwnerUserId, _today));
            if (plan.Confirmed)
            {
                Must(delivery.Confirm(plan.Installment, _reviewer.Id, NotAfterNow(plan.On.AddDays(3).ToDateTime(new TimeOnly(10, 0), DateTimeKind.Utc))));
            }
            db.InKindDeliveries.Add(delivery);
        }
    }

    /// <summary>Donated CircleCI credits become a pool the CI usage draws down, from the pledge's start to its last period.</summary>
    private void AddCreditPool(SeededPledge seeded)
    {
        if (seeded.Plan.CircleCiCreditsPerPeriod is not { } credits || seeded.Pledge.Installments.Count == 0)
        {
            return;
        }
        var pledge = seeded.Pledge;
        db.CreditPools.Add(Must(CreditPool.Open(_providerIds[CiProviderKind.CircleCi], $"CircleCI credits donated by {seeded.Plan.Sponsor.PublicName}",
            credits * pledge.Installments.Count, pledge.Id, pledge.StartDate, pledge.Installments[^1].DueDate.AddMonths(1))));
    }
}
