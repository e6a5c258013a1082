using System;
using FundingPortal.Core.Data;
using FundingPortal.Core.Domain;
using Microsoft.EntityFrameworkCore.Migrations;
using static FundingPortal.Core.Data.RollupRules;

#nullable disable

namespace FundingPortal.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class BooksNetReversals : Migration
    {
        // A reversal is summed where the entry it reverses is: in that entry's month, on its side (a reversed contribution lowers money
        // in rather than adding money out) and for the same sponsor; lines whose counterparty is hidden are summed apart for the sponsor
        // (ADR 0010). "r" is the entry reversed, when there is one.
        private const string Month = """date_trunc('month', coalesce(r."OccurredAt", e."OccurredAt") AT TIME ZONE 'UTC')::date""";

        private static readonly string CreateTriggers = $$"""
            CREATE OR REPLACE FUNCTION sponsor_months_roll_up_row(e "LedgerEntries", factor integer) RETURNS void LANGUAGE sql AS $$
                INSERT INTO "SponsorMonths" ("OrganisationId", "Month", "GivenMinor", "HiddenMinor", "Entries")
                SELECT e."CounterpartyOrganisationId", {{Month}},
                       CASE WHEN e."CounterpartyHidden" THEN 0 ELSE factor * e."AmountMinor" END,
                       CASE WHEN e."CounterpartyHidden" THEN factor * e."AmountMinor" ELSE 0 END, factor
                FROM (SELECT 1) one LEFT JOIN "LedgerEntries" r ON r."Id" = e."ReversesEntryId"
                WHERE e."CounterpartyOrganisationId" IS NOT NULL AND coalesce(r."Kind", e."Kind") IN {{Sql(RollupRules.SponsorMoney)}}
                ON CONFLICT ("OrganisationId", "Month") DO UPDATE
                SET "GivenMinor" = "SponsorMonths"."GivenMinor" + excluded."GivenMinor",
                    "HiddenMinor" = "SponsorMonths"."HiddenMinor" + excluded."HiddenMinor",
                    "Entries" = "SponsorMonths"."Entries" + excluded."Entries";
            $$;

            CREATE OR REPLACE FUNCTION ledger_entries_roll_up() RETURNS trigger LANGUAGE plpgsql AS $$
            DECLARE e "LedgerEntries" := NEW;
            BEGIN
                INSERT INTO "LedgerMonths" ("FundId", "Month", "Kind", "OfKind", "InMinor", "OutMinor", "Entries")
                SELECT e."FundId", {{Month}}, e."Kind", coalesce(r."Kind", e."Kind"),
                       CASE WHEN coalesce(r."AmountMinor", e."AmountMinor") > 0 THEN e."AmountMinor" ELSE 0 END,
                       CASE WHEN coalesce(r."AmountMinor", e."AmountMinor") < 0 THEN -e."AmountMinor" ELSE 0 END, 1
                FROM (SELECT 1) one LEFT JOIN "LedgerEntries" r ON r."Id" = e."ReversesEntryId"
                ON CONFLICT ("FundId", "Month", "Kind", "OfKind") DO UPDATE
                SET "InMinor" = "LedgerMonths"."InMinor" + excluded."InMinor", "OutMinor" = "LedgerMonths"."OutMinor" + excluded."OutMinor",
                    "Entries" = "LedgerMonths"."Entries" + 1;
                PERFORM sponsor_months_roll_up_row(e, 1);
                RETURN NULL;
            END
            $$;

            CREATE FUNCTION ledger_entries_roll_up_hidden() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                PERFORM sponsor_months_roll_up_row(OLD, -1);
                PERFORM sponsor_months_roll_up_row(NEW, 1);
                RETURN NULL;
            END
            $$;

            CREATE TRIGGER "LedgerEntries_RollUp_Hidden" AFTER UPDATE OF "CounterpartyHidden" ON "LedgerEntries"
            FOR EACH ROW WHEN (OLD."CounterpartyHidden" IS DISTINCT FROM NEW."CounterpartyHidden") EXECUTE FUNCTION ledger_entries_roll_up_hidden();
            """;

        private static readonly string Recompute = $$"""
            DELETE FROM "LedgerMonths";
            DELETE FROM "SponsorMonths";
            INSERT INTO "LedgerMonths" ("FundId", "Month", "Kind", "OfKind", "InMinor", "OutMinor", "Entries")
            SELECT e."FundId", {{Month}}, e."Kind", coalesce(r."Kind", e."Kind"),
                   sum(CASE WHEN coalesce(r."AmountMinor", e."AmountMinor") > 0 THEN e."AmountMinor" ELSE 0 END),
                   sum(CASE WHEN coalesce(r."AmountMinor", e."AmountMinor") < 0 THEN -e."AmountMinor" ELSE 0 END), count(*)
            FROM "LedgerEntries" e LEFT JOIN "LedgerEntries" r ON r."Id" = e."ReversesEntryId"
            GROUP BY 1, 2, 3, 4;
            INSERT INTO "SponsorMonths" ("OrganisationId", "Month", "GivenMinor", "HiddenMinor", "Entries")
            SELECT e."CounterpartyOrganisationId", {{Month}},
                   sum(CASE WHEN e."CounterpartyHidden" THEN 0 ELSE e."AmountMinor" END), sum(CASE WHEN e."CounterpartyHidden" THEN e."AmountMinor" ELSE 0 END), count(*)
            FROM "LedgerEntries" e LEFT JOIN "LedgerEntries" r ON r."Id" = e."ReversesEntryId"
            WHERE e."CounterpartyOrganisationId" IS NOT NULL AND coalesce(r."Kind", e."Kind") IN {{Sql(RollupRules.SponsorMoney)}}
            GROUP BY 1, 2;
            """;
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "HiddenMinor",
                table: "SponsorMonths",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<long>(
                name: "OverpaidMinor",
                table: "Payments",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<string>(
                name: "OverpaymentReason",
                table: "Payments",
                type: "character varying(1000)",
                maxLength: 1000,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "VoidReason",
                table: "Payments",
                type: "character varying(1000)",
                maxLength: 1000,
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "VoidedAt",
                table: "Payments",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "VoidedByUserId",
                table: "Payments",
                type: "text",
                nullable: true);

            migrationBuilder.Sql(CreateTriggers);
            migrationBuilder.Sql(Recompute);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER "LedgerEntries_RollUp_Hidden" ON "LedgerEntries";
                DROP FUNCTION ledger_entries_roll_up_hidden();
                DROP TRIGGER "LedgerEntries_RollUp" ON "LedgerEntries";
                DROP FUNCTION ledger_entries_roll_up();
                DROP FUNCTION sponsor_months_roll_up_row("LedgerEntries", integer);
                DELETE FROM "LedgerMonths";
                DELETE FROM "SponsorMonths";
                """);
            migrationBuilder.Sql(FundingRollups.LedgerFunction
                + """CREATE TRIGGER "LedgerEntries_RollUp" AFTER INSERT ON "LedgerEntries" FOR EACH ROW EXECUTE FUNCTION ledger_entries_roll_up();""");
            migrationBuilder.Sql(FundingRollups.LedgerBackfill);

            migrationBuilder.DropColumn(
                name: "HiddenMinor",
                table: "SponsorMonths");

            migrationBuilder.DropColumn(
                name: "OverpaidMinor",
                table: "Payments");

            migrationBuilder.DropColumn(
                name: "OverpaymentReason",
                table: "Payments");

            migrationBuilder.DropColumn(
                name: "VoidReason",
                table: "Payments");

            migrationBuilder.DropColumn(
                name: "VoidedAt",
                table: "Payments");

            migrationBuilder.DropColumn(
                name: "VoidedByUserId",
                table: "Payments");
        }
    }
}
