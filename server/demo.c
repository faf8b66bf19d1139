/* demo.c: the demo data set. Every demo user's password is DEMO_PASSWORD. */
#include "demo.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/case_state.h"
#include "i18n/convert.h"
#include "store/accounts.h"
#include "store/cases.h"
#include "store/mediators.h"
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

/* The demo cases: both scripts, three centers, a case in every state a case can reach now. */
static const struct demo_case {
    const char *filer, *center, *type, *subtype, *title, *summary;
    const char *applicant, *app_res, *app_lang, *respondent, *resp_res, *resp_lang;
    const char *claim, *amount, *currency;
    const char *path; /* events after filing, comma-separated; "" leaves a draft */
    const char *respondent_user; /* the demo user who answers as the respondent, if any */
} cases[] = {
    {"resident.li", "HQ", "family", "maintenance", "子女抚养费纠纷",
     "离婚后孩子随我在珠海生活，对方在澳门工作，近六个月没有支付抚养费。", "李明", "zhuhai",
     "zh-Hans", "陳大文", "macao", "zh-Hant", "拖欠六个月的抚养费", "12000.00", "MOP", "submit", NULL},
    {"resident.chan", "HQ", "family", "custody", "探視安排爭議",
     "雙方離婚後，孩子隨母親在橫琴居住，我希望每月探視兩次，並在假期帶孩子回澳門。", "陳大文",
     "macao", "zh-Hant", "林秀英", "zhuhai", "zh-Hans", "每月兩次探視及假期安排", NULL, NULL,
     "submit,start_screening", NULL},
    {"resident.li", "HQ", "family", "property", "婚后共同房产分割",
     "双方在横琴共同购买的住房需要分割，对方已移居香港。", "李明", "zhuhai", "zh-Hans", "黃志偉",
     "hong_kong", "zh-Hant", "房产一半份额", "1500000.00", "CNY",
     "submit,start_screening,request_more_info", NULL},
    {"resident.chan", "HQ", "family", "divorce", "協議離婚的財產及贍養安排",
     "雙方同意離婚，但對贍養費及子女教育費用未能達成共識。", "陳大文", "macao", "zh-Hant",
     "何美玲", "macao", "zh-Hant", "每月贍養費", "8000.00", "MOP",
     "submit,start_screening,accept", NULL},
    {"resident.li", "HQ", "family", "inheritance", "父亲遗产继承纠纷",
     "父亲在澳门去世，留下澳门的一处物业和珠海的存款，兄弟之间对分配有争议。", "李明", "zhuhai",
     "zh-Hans", "李華", "macao", "zh-Hant", "遗产的公平分配", NULL, NULL,
     "submit,start_screening,decline", NULL},
    {"lawyer.ho", "ZHC", "commercial", "contract", "Supply contract — late delivery penalties",
     "The respondent, a Macao trading company, delivered seafood three weeks late; the contract "
     "sets a penalty of 0.5% a day.", "珠海海鮮貿易有限公司", "zhuhai", "zh-Hans",
     "澳門利興貿易有限公司", "macao", "zh-Hant", "Late-delivery penalty", "86000.00", "CNY",
     "submit,start_screening,accept", NULL},
    {"lawyer.sousa", "ZHC", "commercial", "lease", "Arrendamento de loja em Hengqin",
     "O inquilino deixou de pagar a renda da loja desde março.", "Ana Rodrigues", "macao", "pt",
     "横琴新区商贸有限公司", "zhuhai", "zh-Hans", "Rendas em atraso", "45000.00", "MOP",
     "submit,withdraw", NULL},
    {"lawyer.ho", "ZHC", "commercial", "debt", "貨款欠款追討",
     "對方於去年十月收貨後一直未付清貨款，多次催收無果。", "香港恒昌五金有限公司", "hong_kong",
     "zh-Hant", "珠海市金灣建材有限公司", "zhuhai", "zh-Hans", "未付貨款", "230000.00", "HKD",
     "submit", NULL},
    {"lawyer.ho", "ZHC", "commercial", "shareholder", "合资公司股东分红争议",
     "双方在珠海合资设立的餐饮公司连续两年未分红，小股东要求查阅账目。", "梁志強", "macao",
     "zh-Hant", "李明", "zhuhai", "zh-Hans", "应分未分的红利", "300000.00", "CNY",
     "submit,start_screening,accept,respondent_agree", "resident.li"},
    {"resident.chan", "HQ", "family", "maintenance", "父母贍養費",
     "我在澳門工作，弟弟在珠海，雙方對父母的贍養費分擔有爭議。", "陳大文", "macao", "zh-Hant",
     "李明", "zhuhai", "zh-Hans", "每月贍養費分擔", "3000.00", "MOP",
     "submit,start_screening,accept,respondent_refuse", "resident.li"},
    {"resident.chan", "MOF", "family", "custody", "離婚後子女監護權",
     "我與丈夫均為澳門居民，離婚後對兩名子女的親權行使及居所有分歧。", "陳大文", "macao",
     "zh-Hant", "蘇麗珍", "macao", "zh-Hant", "子女居所及親權安排", NULL, NULL, "submit", NULL},
    {"resident.li", "HQ", "family", "custody", "孩子暑假探视安排", "暑假期间孩子去澳门的安排。",
     "李明", "zhuhai", "zh-Hans", "陳大文", "macao", "zh-Hant", "暑假探视", NULL, NULL, "", NULL},
    {"lawyer.sousa", "ZHC", "commercial", "sale_of_goods", "Venda de vinho com defeito",
     "Um lote de vinho português chegou a Zhuhai danificado.", "Vinhos do Douro Lda.",
     "elsewhere", "pt", "珠海葡韵进口贸易有限公司", "zhuhai", "zh-Hans", "Reembolso do lote",
     "52000.00", "CNY", "submit,start_screening", NULL},
    /* both sides speak English: three single candidates, for the parties' shortlist */
    {"lawyer.ho", "ZHC", "commercial", "contract", "Unpaid freight charges — Macao shipments",
     "The respondent's trading business shipped goods through us from Zhuhai to Macao for a "
     "year and stopped paying our invoices in June.", "Pearl Delta Logistics Limited",
     "hong_kong", "en", "陳大文", "macao", "en", "Unpaid freight invoices", "64000.00", "HKD",
     "submit,start_screening,accept,respondent_agree", "resident.chan"},
};

static const char *reason_of(const char *ev)
{
    if (strcmp(ev, "decline") == 0)
        return "遗产分配涉及澳门法院的待决诉讼，中心暂不受理。";
    if (strcmp(ev, "withdraw") == 0)
        return "As partes chegaram a acordo fora da mediação.";
    if (strcmp(ev, "respondent_refuse") == 0)
        return "我希望通過法院解決。";
    if (strcmp(ev, "request_more_info") == 0)
        return "请补充房产证复印件。";
    return NULL;
}

static int seed_cases(char *err, size_t cap)
{
    struct user officer_hq, officer_zhc, resp;
    char h[8];
    if (store_user_by_username("officer.hq", &officer_hq, h, sizeof h) != ST_OK ||
        store_user_by_username("officer.zhc", &officer_zhc, h, sizeof h) != ST_OK) {
        snprintf(err, cap, "the demo users are missing");
        return -1;
    }
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const struct demo_case *d = &cases[i];
        struct user filer;
        if (store_user_by_username(d->filer, &filer, h, sizeof h) != ST_OK) {
            snprintf(err, cap, "the demo user %s is missing", d->filer);
            return -1;
        }
        struct filing *f = calloc(1, sizeof *f);
        if (!f) {
            snprintf(err, cap, "out of memory");
            return -1;
        }
        f->center = d->center;
        f->type = case_type_parse(d->type);
        f->subtype = d->subtype;
        f->title = d->title;
        f->summary = d->summary;
        enum script sc = script_detect(d->title, strlen(d->title));
        f->script = sc == SCRIPT_HANS ? "zh-Hans" : sc == SCRIPT_HANT ? "zh-Hant" : NULL;
        bool company = f->type == CASE_TYPE_COMMERCIAL;
        f->parties[0] = (struct party_in){.side = SIDE_APPLICANT, .kind = company && (strstr(d->applicant, "公司") || strstr(d->applicant, " Limited")) ? "company" : "person",
                                          .name = d->applicant, .residence = d->app_res,
                                          .language = d->app_lang,
                                          .spoken = spoken_default(d->app_lang)};
        if (filer.role == ROLE_RESIDENT)
            f->parties[0].user_id = filer.id;
        else
            f->parties[0].lawyer_id = filer.id;
        f->parties[1] = (struct party_in){.side = SIDE_RESPONDENT, .kind = company && strstr(d->respondent, "公司") ? "company" : "person",
                                          .name = d->respondent, .residence = d->resp_res,
                                          .language = d->resp_lang,
                                          .spoken = spoken_default(d->resp_lang)};
        f->nparties = 2;
        memset(&resp, 0, sizeof resp);
        if (d->respondent_user &&
            store_user_by_username(d->respondent_user, &resp, h, sizeof h) == ST_OK)
            f->parties[1].user_id = resp.id;
        f->claims[0].description = d->claim;
        if (d->amount && money_parse(d->amount, d->currency, &f->claims[0].amount, NULL) == 0)
            f->claims[0].has_amount = true;
        f->nclaims = 1;
        f->consent_mediation = true;
        struct actor who = {filer.id, role_name(filer.role), "127.0.0.1"};
        int64_t id;
        bool replayed;
        enum st st = store_case_file(f, &who, filer.role == ROLE_LAWYER ? filer.firm_id : 0,
                                     false, NULL, &id, &replayed);
        free(f);
        if (st != ST_OK) {
            snprintf(err, cap, "cannot file demo case %zu", i + 1);
            return -1;
        }
        /* walk the case along its path through the state machine, as its actors would */
        char path[128];
        snprintf(path, sizeof path, "%s", d->path);
        enum case_state state = CASE_DRAFT;
        for (char *save = NULL, *ev = strtok_r(path, ",", &save); ev;
             ev = strtok_r(NULL, ",", &save)) {
            enum case_event e;
            enum case_state to;
            case_event_from_name(ev, &e);
            const struct user *actor = &filer;
            enum case_actor role = filer.role == ROLE_LAWYER ? CASE_ACTOR_LAWYER
                                                             : CASE_ACTOR_RESIDENT_APPLICANT;
            if (e == CASE_EV_START_SCREENING || e == CASE_EV_ACCEPT || e == CASE_EV_DECLINE ||
                e == CASE_EV_REQUEST_MORE_INFO) {
                actor = strcmp(d->center, "ZHC") == 0 ? &officer_zhc : &officer_hq;
                role = CASE_ACTOR_CASE_OFFICER;
            }
            if (e == CASE_EV_RESPONDENT_AGREE || e == CASE_EV_RESPONDENT_REFUSE) {
                actor = &resp;
                role = CASE_ACTOR_RESIDENT_RESPONDENT;
            }
            if (case_transition(state, e, role, reason_of(ev) != NULL, &to)) {
                snprintf(err, cap, "demo case %zu: %s is not allowed", i + 1, ev);
                return -1;
            }
            struct actor a = {actor->id, role_name(actor->role), "127.0.0.1"};
            if (e == CASE_EV_SUBMIT) {
                if (store_case_submit(id, &a) != ST_OK) {
                    snprintf(err, cap, "demo case %zu: submit failed", i + 1);
                    return -1;
                }
                state = to;
                continue;
            }
            struct case_transition_set set = {0};
            if (e == CASE_EV_ACCEPT) {
                set.respondent_due = "2026-12-03";
                set.mediation_due = "2026-12-28";
                set.set_accepted_at = true;
            }
            st = store_case_transition(id, case_state_name(state), case_state_name(to), ev, &a,
                                       reason_of(ev), &set);
            if (st == ST_OK && e == CASE_EV_ACCEPT) {
                st = store_case_transition(id, "accepted", "respondent_invited",
                                           "invite_respondent", &a, NULL, NULL);
                to = CASE_RESPONDENT_INVITED;
            }
            if (st != ST_OK) {
                snprintf(err, cap, "demo case %zu: %s failed", i + 1, ev);
                return -1;
            }
            state = to;
        }
    }
    return 0;
}

/* Mediators' profiles: the three named in the guide and a dozen more across the centers,
 * languages and jurisdictions (one with an expired qualification, one at capacity, one
 * qualified on both sides, one whose declared relationship blocks a demo case). */
static const struct demo_mediator {
    const char *username, *name, *language, *centers[2], *types, *spoken, *jurisdiction, *body;
    const char *valid_from, *valid_to;
    int capacity, weekly; /* minutes a weekday */
    const char *second_jurisdiction;
} mediators[] = {
    {"mediator.chen", NULL, NULL, {0}, "family", "putonghua,cantonese", "mainland",
     "Guangdong People's Mediation Association", "2023-01-01", "2028-12-31", 8, 240, NULL},
    {"mediator.leong", NULL, NULL, {0}, "family", "cantonese,portuguese", "macao",
     "Macao Social Welfare Bureau", "2022-06-01", NULL, 6, 180, NULL},
    {"mediator.wong", NULL, NULL, {0}, "commercial", "cantonese,english", "hong_kong",
     "Hong Kong Mediation Accreditation Association", "2021-03-01", "2027-02-28", 10, 300, NULL},
    {"mediator.lam", "林美儀 (Lam Mei Yee)", "zh-Hant", {"HQ"}, "family", "cantonese,english",
     "hong_kong", "Hong Kong Mediation Accreditation Association", "2020-01-01", NULL, 6, 120,
     NULL},
    {"mediator.sun", "孙立新", "zh-Hans", {"HQ"}, "family", "putonghua", "mainland",
     "Zhuhai Judicial Bureau", "2018-01-01", "2025-06-30", 8, 240, NULL},
    {"mediator.costa", "Maria Costa", "pt", {"MOF"}, "family", "portuguese,english", "macao",
     "Macao Social Welfare Bureau", "2021-09-01", NULL, 5, 180, NULL},
    {"mediator.ieong", "楊家豪 (Ieong Ka Hou)", "zh-Hant", {"MOF"}, "family",
     "cantonese,putonghua", "macao", "Macao Social Welfare Bureau", "2019-05-01", NULL, 6, 240,
     NULL},
    {"mediator.zhou", "周建华", "zh-Hans", {"ZHC"}, "commercial", "putonghua,english",
     "mainland", "Zhuhai Commercial Mediation Association", "2022-01-01", "2029-12-31", 10, 300,
     NULL},
    {"mediator.fonseca", "João Fonseca", "pt", {"ZHC"}, "commercial", "portuguese,cantonese",
     "macao", "Macao World Trade Center Arbitration and Mediation", "2020-07-01", NULL, 8, 240,
     NULL},
    {"mediator.tang", "唐志明", "zh-Hans", {"ZHC"}, "commercial", "putonghua,cantonese",
     "mainland", "Zhuhai Commercial Mediation Association", "2021-01-01", NULL, 0, 240, NULL},
    {"mediator.yu", "余秀芳", "zh-Hans", {"HQ"}, "family", "putonghua,cantonese", "mainland",
     "Guangdong People's Mediation Association", "2022-01-01", NULL, 8, 240, NULL},
    {"mediator.chan", "陳志偉 (Chan Chi Wai)", "zh-Hant", {"HQ", "MOF"}, "family",
     "cantonese,portuguese,putonghua", "macao", "Macao Social Welfare Bureau", "2020-01-01",
     NULL, 6, 180, "mainland"},
    {"mediator.liu", "刘海燕", "zh-Hans", {"ZHC"}, "commercial", "putonghua", "mainland",
     "Zhuhai Commercial Mediation Association", "2023-03-01", NULL, 10, 300, NULL},
    {"mediator.kwok", "郭家樂 (Kwok Ka Lok)", "zh-Hant", {"ZHC"}, "commercial",
     "cantonese,english", "hong_kong", "Hong Kong Mediation Accreditation Association",
     "2019-01-01", NULL, 8, 240, NULL},
    {"mediator.almeida", "Rui Almeida", "pt", {"HQ"}, "family", "portuguese", "macao",
     "Macao Social Welfare Bureau", "2021-01-01", NULL, 5, 120, NULL},
};

static int seed_mediators(const char *hash, char *err, size_t cap)
{
    struct actor system = {0, "system", "127.0.0.1"};
    for (size_t i = 0; i < sizeof mediators / sizeof mediators[0]; i++) {
        const struct demo_mediator *d = &mediators[i];
        struct user u = {0};
        char h[8];
        if (d->name) { /* a mediator beyond the demo users: create the account */
            snprintf(u.username, sizeof u.username, "%s", d->username);
            u.role = ROLE_MEDIATOR;
            snprintf(u.display_name, sizeof u.display_name, "%s", d->name);
            snprintf(u.language, sizeof u.language, "%s", d->language);
            snprintf(u.email, sizeof u.email, "%s@qiao.example", d->username + 9);
            for (int k = 0; k < 2 && d->centers[k]; k++) {
                struct center c;
                if (store_center_by_code(d->centers[k], &c) == ST_OK)
                    u.center_ids[u.ncenters++] = c.id;
            }
            if (store_user_create(&u, hash) != ST_OK) {
                snprintf(err, cap, "cannot create mediator %s", d->username);
                return -1;
            }
        } else if (store_user_by_username(d->username, &u, h, sizeof h) != ST_OK) {
            snprintf(err, cap, "the demo mediator %s is missing", d->username);
            return -1;
        }
        struct mediator_profile_in in = {.case_types = d->types, .spoken = d->spoken,
                                         .capacity = d->capacity, .set_weekly = true};
        for (int k = 0; k < 5; k++)
            in.weekly_minutes[k] = d->weekly;
        int64_t qid;
        struct mediator_qual_row q = {0};
        snprintf(q.jurisdiction, sizeof q.jurisdiction, "%s", d->jurisdiction);
        snprintf(q.body, sizeof q.body, "%s", d->body);
        snprintf(q.number, sizeof q.number, "%s-%04zu", d->jurisdiction[0] == 'm' &&
                 d->jurisdiction[1] == 'a' && d->jurisdiction[2] == 'i' ? "GD" : "MD", 100 + i);
        snprintf(q.valid_from, sizeof q.valid_from, "%s", d->valid_from);
        snprintf(q.valid_to, sizeof q.valid_to, "%s", d->valid_to ? d->valid_to : "");
        if (store_mediator_profile_put(u.id, &in, &system) != ST_OK ||
            store_mediator_qualification_add(u.id, &q, &system, &qid) != ST_OK) {
            snprintf(err, cap, "cannot create the profile of %s", d->username);
            return -1;
        }
        if (d->second_jurisdiction) {
            snprintf(q.jurisdiction, sizeof q.jurisdiction, "%s", d->second_jurisdiction);
            snprintf(q.body, sizeof q.body, "Guangdong People's Mediation Association");
            if (store_mediator_qualification_add(u.id, &q, &system, &qid) != ST_OK)
                return -1;
        }
        if (strcmp(d->username, "mediator.yu") == 0) {
            /* a declared family tie to 陳大文 (written here in Simplified): it blocks every
             * demo case where 陳大文 is a party, across scripts */
            int64_t rid;
            if (store_mediator_relationship_add(u.id, "person", "family", "陈大文", NULL, NULL,
                                                "2015-05-01", &system, &rid) != ST_OK)
                return -1;
        }
    }
    return 0;
}

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
    if (seed_mediators(hash, err, cap) != 0 || seed_cases(err, cap) != 0)
        return -1;
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
    size_t extra = sizeof mediators / sizeof mediators[0] - 3;
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
    fprintf(out, "  and %zu more mediators (mediator.lam, mediator.costa, mediator.zhou …)\n",
            extra);
}

int demo_bulk(long n, char *err, size_t cap)
{
    static const char *const surnames[] = {"李", "陳", "黄", "张", "梁", "何", "王", "林", "吴", "刘"};
    static const char *const given[] = {"明", "大文", "嘉欣", "伟", "慧玲", "志强", "芳", "秀英",
                                        "建国", "美玲"};
    static const char *const topics[] = {"抚养费", "探视安排", "房产分割", "遗产继承", "货款",
                                         "租金", "股东分红", "合同违约", "贍養費", "監護權"};
    struct user lawyer, resident;
    char h[8];
    if (store_user_by_username("lawyer.ho", &lawyer, h, sizeof h) != ST_OK ||
        store_user_by_username("resident.li", &resident, h, sizeof h) != ST_OK) {
        snprintf(err, cap, "load the demo data set first (seed-demo)");
        return -1;
    }
    store_bulk_mode();
    struct filing *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    for (long i = 0; i < n; i++) {
        bool family = i % 2 == 0;
        char title[128], summary[256], app[32], resp[32];
        snprintf(title, sizeof title, "%s纠纷 %ld", topics[i % 10], i);
        snprintf(summary, sizeof summary, "关于%s的争议，双方希望通过调解解决。第%ld号。",
                 topics[(i / 10) % 10], i);
        snprintf(app, sizeof app, "%s%s", surnames[i % 10], given[(i / 10) % 10]);
        snprintf(resp, sizeof resp, "%s%s", surnames[(i / 100) % 10], given[(i / 7) % 10]);
        memset(f, 0, sizeof *f);
        f->center = family ? (i % 4 == 0 ? "HQ" : "MOF") : "ZHC";
        f->type = family ? CASE_TYPE_FAMILY : CASE_TYPE_COMMERCIAL;
        f->subtype = family ? "maintenance" : "debt";
        f->title = title;
        f->summary = summary;
        f->script = "zh-Hans";
        bool by_lawyer = i % 3 == 0;
        f->parties[0] = (struct party_in){.side = SIDE_APPLICANT, .kind = "person", .name = app,
                                          .residence = "zhuhai", .language = "zh-Hans",
                                          .spoken = SPOKEN_PUTONGHUA};
        if (by_lawyer)
            f->parties[0].lawyer_id = lawyer.id;
        else
            f->parties[0].user_id = resident.id;
        f->parties[1] = (struct party_in){.side = SIDE_RESPONDENT, .kind = "person", .name = resp,
                                          .residence = "macao", .language = "zh-Hant",
                                          .spoken = SPOKEN_CANTONESE};
        f->nparties = 2;
        f->claims[0].description = topics[i % 10];
        money_parse("12000.00", "MOP", &f->claims[0].amount, NULL);
        f->claims[0].has_amount = true;
        f->nclaims = 1;
        f->consent_mediation = true;
        const struct user *filer = by_lawyer ? &lawyer : &resident;
        struct actor who = {filer->id, role_name(filer->role), "127.0.0.1"};
        int64_t id;
        bool replayed;
        if (store_case_file(f, &who, by_lawyer ? lawyer.firm_id : 0, true, NULL, &id,
                            &replayed) != ST_OK) {
            snprintf(err, cap, "cannot file bulk case %ld", i);
            free(f);
            return -1;
        }
        if (i && i % 10000 == 0)
            fprintf(stderr, "%ld cases\n", i);
    }
    free(f);
    return 0;
}
