-- wrk script: converts one sentence of a party's statement to Traditional Chinese.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = [[{"text":"申请人于二〇一九年在珠海购买的房产系双方婚后共同财产，被申请人要求复核评估报告并在两周内答复，调解员已发出通知。","to":"zh-Hant","kind":"text"}]]
