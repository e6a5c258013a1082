namespace FundingPortal.Core.Data.Configurations;

internal sealed class LedgerEntryConfiguration : IEntityTypeConfiguration<LedgerEntry>
{
    public void Configure(EntityTypeBuilder<LedgerEntry> builder)
    {
        builder.Property(e => e.Currency).HasMaxLength(3);
        builder.Property(e => e.OriginalCurrency).HasMaxLength(3);
        builder.Property(e => e.ExchangeRate).HasPrecision(18, 8);
        builder.Property(e => e.Description).HasMaxLength(1000);
        builder.HasOne<Fund>().WithMany().HasForeignKey(e => e.FundId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Payment>().WithMany().HasForeignKey(e => e.PaymentId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Refund>().WithMany().HasForeignKey(e => e.RefundId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Expense>().WithMany().HasForeignKey(e => e.ExpenseId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Organisation>().WithMany().HasForeignKey(e => e.CounterpartyOrganisationId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<LedgerEntry>().WithMany().HasForeignKey(e => e.ReversesEntryId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(e => new { e.FundId, e.OccurredAt });
        builder.HasIndex(e => e.OccurredAt);
        builder.HasIndex(e => e.CounterpartyOrganisationId);
        builder.HasIndex(e => e.ReversesEntryId).IsUnique();
        builder.Ignore(e => e.Amount);
        // Keep LedgerMonths and SponsorMonths (ADR 0009 and 0010; created in the migrations of each provider).
        builder.ToTable(t =>
        {
            t.HasTrigger("LedgerEntries_RollUp");
            t.HasTrigger("LedgerEntries_RollUp_Hidden");
        });
    }
}
