/* demo.c: the demo data set. Every demo user's password is DEMO_PASSWORD. */
#include "demo.h"

#include <stdio.h>
#include <string.h>

#include "store/accounts.h"
#include "vault/vault.h"

static const struct center centers[] = {
    {.code = "HQ",
     .name = {"Zhuhai–Macao Family Mediation Service Exchange Center", "珠澳家事调解服务交流中心",
              "珠澳家事調解服務交流中心", "Centro de Intercâmbio de Serviços de Mediação Familiar Zhuhai–Macau"},
     .jurisdiction = "mainland", .place = "Hengqin", .time_zone = "Asia/Shanghai",
     .default_language = "zh-Hans", .calendar = "mainland", .family = true, .cross_border = true},
    {.code = "ZHC",
     .name = {"Zhuhai Commercial Mediation Center", "珠海商事调解中心", "珠海商事調解中心",
              "Centro de Mediação Comercial de Zhuhai"},
     .jurisdiction = "mainland", .place = "Zhuhai", .time_zone = "Asia/Shanghai",
     .default_language = "zh-Hans", .calendar = "mainland", .commercial = true,
     .cross_border = true},
    {.code = "MOF",
     .name = {"Macao Family Mediation Service", "澳门家庭调解服务", "澳門家庭調解服務",
              "Serviço de Mediação Familiar de Macau"},
     .jurisdiction = "macao", .place = "Macao", .time_zone = "Asia/Macau",
     .default_language = "zh-Hant", .calendar = "macao", .family = true},
};

static const struct demo_user {
    const char *username, *role, *display_name, *language, *email, *phone;
    const char *centers[3];
    const char *firm;
} users[] = {
    {"admin", "admin", "System Administrator", "en", "admin@qiao.example", NULL, {0}, NULL},
    {"officer.hq", "case_officer", "黃嘉欣", "zh-Hant", "officer.hq@qiao.example", NULL,
     {"HQ"}, NULL},
    {"officer.zhc", "case_officer", "刘晓燕", "zh-Hans", "officer.zhc@qiao.example", NULL,
     {"ZHC"}, NULL},
    {"mediator.chen", "mediator", "陈志华", "zh-Hans", "chen@qiao.example", NULL, {"HQ"}, NULL},
    {"mediator.leong", "mediator", "梁慧玲 (Leong Wai Leng)", "zh-Hant", "leong@qiao.example",
     NULL, {"HQ", "MOF"}, NULL},
    {"mediator.wong", "mediator", "王家明 (Wong Ka Ming)", "zh-Hant", "wong@qiao.example", NULL,
     {"ZHC"}, NULL},
    {"lawyer.ho", "lawyer", "何卓賢 (Ho Cheuk Yin)", "en", "ho@zhm-law.example", NULL, {0},
     "ZHM-LAW"},
    {"lawyer.sousa", "lawyer", "Ana Sousa", "pt", "sousa@zhm-law.example", NULL, {0}, "ZHM-LAW"},
    {"resident.li", "resident", "李明", "zh-Hans", NULL, "+86 138 0756 1234", {0}, NULL},
    {"resident.chan", "resident", "陳大文", "zh-Hant", NULL, "+853 6612 3456", {0}, NULL},
    {"auditor", "auditor", "Auditor", "en", "audit@qiao.example", NULL, {0}, NULL},
};

int demo_seed(char *err, size_t cap)
{
    char seeded[32];
    if (store_setting_get("demo_seeded", seeded, sizeof seeded) == ST_OK) {
        snprintf(err, cap, "the demo data set was already loaded into this data directory (%s)",
                 seeded);
        return 1;
    }
    for (size_t i = 0; i < sizeof centers / sizeof centers[0]; i++) {
        if (store_center_create(&centers[i], NULL) != ST_OK) {
            snprintf(err, cap, "cannot create center %s (is this data directory in use?)",
                     centers[i].code);
            return -1;
        }
    }
    struct firm firm = {.code = "ZHM-LAW", .name = "珠港澳聯營律師事務所 ZHM Joint Law Firm",
                        .joint = true, .share_matters = true,
                        .offices = "zhuhai,hong_kong,macao"};
    if (store_firm_create(&firm, &firm.id) != ST_OK) {
        snprintf(err, cap, "cannot create the firm ZHM-LAW");
        return -1;
    }
    char hash[VAULT_PWHASH_LEN];
    if (vault_pw_hash(DEMO_PASSWORD, hash) != 0) {
        snprintf(err, cap, "out of memory");
        return -1;
    }
    for (size_t i = 0; i < sizeof users / sizeof users[0]; i++) {
        const struct demo_user *d = &users[i];
        struct user u = {0};
        snprintf(u.username, sizeof u.username, "%s", d->username);
        u.role = role_parse(d->role);
        snprintf(u.display_name, sizeof u.display_name, "%s", d->display_name);
        snprintf(u.language, sizeof u.language, "%s", d->language);
        if (d->email)
            snprintf(u.email, sizeof u.email, "%s", d->email);
        if (d->phone) {
            char norm[17];
            account_check_phone(d->phone, norm);
            snprintf(u.phone, sizeof u.phone, "%s", norm);
        }
        for (int k = 0; k < 3 && d->centers[k]; k++) {
            struct center c;
            if (store_center_by_code(d->centers[k], &c) == ST_OK)
                u.center_ids[u.ncenters++] = c.id;
        }
        if (d->firm)
            u.firm_id = firm.id;
        if (store_user_create(&u, hash) != ST_OK) {
            snprintf(err, cap, "cannot create user %s", d->username);
            return -1;
        }
    }
    char when[32];
    snprintf(when, sizeof when, "%lld", (long long)store_now());
    if (store_setting_insert("demo_seeded", when) != ST_OK) {
        snprintf(err, cap, "cannot record that the demo data set was loaded");
        return -1;
    }
    return 0;
}

void demo_print_accounts(FILE *out)
{
    fprintf(out, "Demo accounts (password for all: %s):\n", DEMO_PASSWORD);
    for (size_t i = 0; i < sizeof users / sizeof users[0]; i++) {
        const struct demo_user *d = &users[i];
        fprintf(out, "  %-15s %-13s", d->username, d->role);
        for (int k = 0; k < 3 && d->centers[k]; k++)
            fprintf(out, " %s", d->centers[k]);
        if (d->firm)
            fprintf(out, " %s", d->firm);
        fprintf(out, "\n");
    }
}
