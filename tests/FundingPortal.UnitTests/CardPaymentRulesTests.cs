using FundingPortal.Core.Domain;

namespace FundingPortal.UnitTests;

public class CardPaymentRulesTests
{
    private static readonly DateTime Now = new(2026, 3, 1, 12, 0, 0, DateTimeKind.Utc);

    private static Pledge Card(PledgeFrequency frequency = PledgeFrequency.OneOff, PaymentTiming timing = PaymentTiming.Now, PaymentMethod method = PaymentMethod.Card)
    {
        var schedule = frequency == PledgeFrequency.OneOff
            ? PledgeSchedule.OneOff(new DateOnly(2026, 3, 1))
            : PledgeSchedule.Create(frequency, new DateOnly(2026, 3, 1), null, 12).Value!;
        var pledge = Pledge.SubmitMoney(1, 1, new Money(10_000, "USD"), schedule, method, timing, "sponsor", Now);
        Assert.True(pledge.Accept("reviewer", "Thanks", Now).Succeeded);
        return pledge;
    }

    [Fact]
    public void A_retry_within_the_reuse_window_keeps_the_checkout_attempt_and_a_later_one_starts_a_new_attempt()
    {
        var pledge = Card();
        Assert.Equal(1, pledge.NextCheckoutAttempt(Now));
        pledge.CheckoutStarted(1, "cs_1", Now);

        Assert.Equal(1, pledge.NextCheckoutAttempt(Now.AddSeconds(2)));
        Assert.Equal(1, pledge.NextCheckoutAttempt(Now.AddHours(22)));
        Assert.Equal(2, pledge.NextCheckoutAttempt(Now.AddHours(24)));
        pledge.CheckoutStarted(1, "cs_1", Now.AddHours(1));
        Assert.Equal(Now, pledge.CheckoutStartedAt);
    }

    [Fact]
    public void Only_accepted_card_pledges_that_are_due_await_a_card_payment()
    {
        Assert.True(Card().AwaitsCardPayment);
        Assert.False(Card(method: PaymentMethod.Invoice).AwaitsCardPayment);

        var onCompletion = Card(timing: PaymentTiming.OnCompletion);
        Assert.False(onCompletion.AwaitsCardPayment);
        onCompletion.RequestPayment(Now);
        Assert.True(onCompletion.AwaitsCardPayment);

        var monthly = Card(PledgeFrequency.Monthly);
        Assert.True(monthly.AwaitsCardPayment);
        monthly.LinkSubscription("sub_1");
        Assert.False(monthly.AwaitsCardPayment);

        var paid = Card();
        Assert.True(paid.Installments[0].RecordReceived(new Money(10_000, "USD")).Succeeded);
        Assert.False(paid.AwaitsCardPayment);
    }

    [Fact]
    public void A_flagged_payment_keeps_its_reason_and_refunds_move_it_to_partly_then_fully_refunded()
    {
        var payment = Payment.Record(new PaymentReceipt(1, 1, null, 1, PaymentChannel.Stripe, new Money(10_000, "USD"), new Money(10_000, "USD"), 1,
            Now, "cs_1", "stripe:pi_1", null));
        payment.Flag("Stripe took 1.00 USD but the pledge asks 100.00 USD.");
        Assert.Equal((PaymentStatus.Flagged, "Stripe took 1.00 USD but the pledge asks 100.00 USD."), (payment.Status, payment.FlagReason));

        payment.RecordRefund(2_500);
        Assert.Equal(PaymentStatus.PartiallyRefunded, payment.Status);
        payment.RecordRefund(10_000);
        Assert.Equal(PaymentStatus.Refunded, payment.Status);
    }
}
