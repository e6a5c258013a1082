using System;
using FundingPortal.Core.Data;
using FundingPortal.Core.Domain;
using Microsoft.EntityFrameworkCore.Migrations;
using static FundingPortal.Core.Data.RollupRules;

#nullable disable

namespace FundingPortal.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class BooksNetReversals : Migration
    {
        // A reversal is summed where the entry it reverses is: in that entry's month, on its side (a reversed contribution lowers money
        // in rather than adding money out) and for the same sponsor; lines whose counterparty is hidden are summed apart for the sponsor
        // (ADR 0010). "r" is the entry reversed, when there is one.
        private static string Month(string date) => $"substr({date}, 1, 7) || '-01'";

        private static string Reversed(string row) => $"""(SELECT 1) LEFT JOIN "LedgerEntries" r ON r."Id" = {row}."ReversesEntryId" """;

        private static string LedgerMonth(string row) => $"""
            INSERT INTO "LedgerMonths" ("FundId", "Month", "Kind", "OfKind", "InMinor", "OutMinor", "Entries")
            SELECT {row}."FundId", {Month($"coalesce(r.\"OccurredAt\", {row}.\"OccurredAt\")")}, {row}."Kind", coalesce(r."Kind", {row}."Kind"),
                   CASE WHEN coalesce(r."AmountMinor", {row}."AmountMinor") > 0 THEN {row}."AmountMinor" ELSE 0 END,
                   CASE WHEN coalesce(r."AmountMinor", {row}."AmountMinor") < 0 THEN -{row}."AmountMinor" ELSE 0 END, 1
            FROM {Reversed(row)}
            WHERE true
            ON CONFLICT ("FundId", "Month", "Kind", "OfKind") DO UPDATE
            SET "InMinor" = "InMinor" + excluded."InMinor", "OutMinor" = "OutMinor" + excluded."OutMinor", "Entries" = "Entries" + 1;
            """;

        private static string SponsorMonth(string row, int sign) => $"""
            INSERT INTO "SponsorMonths" ("OrganisationId", "Month", "GivenMinor", "HiddenMinor", "Entries")
            SELECT {row}."CounterpartyOrganisationId", {Month($"coalesce(r.\"OccurredAt\", {row}.\"OccurredAt\")")},
                   CASE WHEN {row}."CounterpartyHidden" THEN 0 ELSE {sign} * {row}."AmountMinor" END,
                   CASE WHEN {row}."CounterpartyHidden" THEN {sign} * {row}."AmountMinor" ELSE 0 END, {sign}
            FROM {Reversed(row)}
            WHERE {row}."CounterpartyOrganisationId" IS NOT NULL AND coalesce(r."Kind", {row}."Kind") IN {Sql(RollupRules.SponsorMoney)}
            ON CONFLICT ("OrganisationId", "Month") DO UPDATE
            SET "GivenMinor" = "GivenMinor" + excluded."GivenMinor", "HiddenMinor" = "HiddenMinor" + excluded."HiddenMinor",
                "Entries" = "Entries" + excluded."Entries";
            """;

        private static readonly string[] CreateTriggers =
        [
            $"""CREATE TRIGGER "LedgerEntries_RollUp" AFTER INSERT ON "LedgerEntries" BEGIN {LedgerMonth("NEW")} {SponsorMonth("NEW", 1)} END;""",
            $"""
            CREATE TRIGGER "LedgerEntries_RollUp_Hidden" AFTER UPDATE OF "CounterpartyHidden" ON "LedgerEntries"
            WHEN OLD."CounterpartyHidden" <> NEW."CounterpartyHidden"
            BEGIN {SponsorMonth("OLD", -1)} {SponsorMonth("NEW", 1)} END;
            """,
        ];

        private static readonly string Recompute = $"""
            DELETE FROM "LedgerMonths";
            DELETE FROM "SponsorMonths";
            INSERT INTO "LedgerMonths" ("FundId", "Month", "Kind", "OfKind", "InMinor", "OutMinor", "Entries")
            SELECT e."FundId", {Month("coalesce(r.\"OccurredAt\", e.\"OccurredAt\")")}, e."Kind", coalesce(r."Kind", e."Kind"),
                   sum(CASE WHEN coalesce(r."AmountMinor", e."AmountMinor") > 0 THEN e."AmountMinor" ELSE 0 END),
                   sum(CASE WHEN coalesce(r."AmountMinor", e."AmountMinor") < 0 THEN -e."AmountMinor" ELSE 0 END), count(*)
            FROM "LedgerEntries" e LEFT JOIN "LedgerEntries" r ON r."Id" = e."ReversesEntryId"
            GROUP BY 1, 2, 3, 4;
            INSERT INTO "SponsorMonths" ("OrganisationId", "Month", "GivenMinor", "HiddenMinor", "Entries")
            SELECT e."CounterpartyOrganisationId", {Month("coalesce(r.\"OccurredAt\", e.\"OccurredAt\")")},
                   sum(CASE WHEN e."CounterpartyHidden" THEN 0 ELSE e."AmountMinor" END), sum(CASE WHEN e."CounterpartyHidden" THEN e."AmountMinor" ELSE 0 END), count(*)
            FROM "LedgerEntries" e LEFT JOIN "LedgerEntries" r ON r."Id" = e."ReversesEntryId"
            WHERE e."CounterpartyOrganisationId" IS NOT NULL AND coalesce(r."Kind", e."Kind") IN {Sql(RollupRules.SponsorMoney)}
            GROUP BY 1, 2;
            """;
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "HiddenMinor",
                table: "SponsorMonths",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<long>(
                name: "OverpaidMinor",
                table: "Payments",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<string>(
                name: "OverpaymentReason",
                table: "Payments",
                type: "TEXT",
                maxLength: 1000,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "VoidReason",
                table: "Payments",
                type: "TEXT",
                maxLength: 1000,
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "VoidedAt",
                table: "Payments",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "VoidedByUserId",
                table: "Payments",
                type: "TEXT",
                nullable: true);

            migrationBuilder.Sql("""DROP TRIGGER "LedgerEntries_RollUp";""");
            foreach (var trigger in CreateTriggers)
            {
                migrationBuilder.Sql(trigger);
            }
            migrationBuilder.Sql(Recompute);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""DROP TRIGGER "LedgerEntries_RollUp_Hidden"; DROP TRIGGER "LedgerEntries_RollUp";""");
            migrationBuilder.Sql(FundingRollups.CreateTriggers[0]);
            migrationBuilder.Sql("""DELETE FROM "LedgerMonths"; DELETE FROM "SponsorMonths";""");
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
