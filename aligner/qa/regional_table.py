"""Make `regional.tsv`, the word table of the `regional` check, from OpenCC's phrase dictionaries.

Run by hand when OpenCC's dictionaries change: `python -m aligner.qa.regional_table`. It reads
the dictionaries the installed `opencc` package ships (TWPhrases, TWPhrasesRev, HKPhrases, in
their binary .ocd2 form, through the `opencc_dict` tool the package also ships) and writes the
table beside this file. OpenCC (https://github.com/BYVoid/OpenCC) is under the Apache License
2.0; the derived table says so in its header.

The dictionaries serve conversion, not proofreading: s2twp turns 支持 into 支援 and 局部 into
區域性 because software localisation wants it, yet 支持 and 局部 are ordinary Taiwanese words.
Words in `VALID_IN_TAIWAN` and `VALID_IN_HONG_KONG` are standard in both regions (in general
prose, as in the Ministry of Education's and Hong Kong's own usage) and are kept, not flagged;
so are the short transliterations in `NAME_PIECES`, found inside other names.
"""

from __future__ import annotations

import subprocess
import tempfile
from collections.abc import Iterable
from importlib import metadata
from pathlib import Path

from aligner.ingest.langs import convert

OUT = Path(__file__).with_name("regional.tsv")

# Mainland words in OpenCC's TWPhrases that are standard in Taiwan too (a different sense, or a
# general word that only software localisation replaces).
VALID_IN_TAIWAN = frozenset(
    "支持 程序 添加 映射 社區 文件 文檔 項目 數字 通信 運行 設置 保存 性能 局部 實時 集成 查找 查看 聯繫 連接 "
    "類型 圖像 發送 創建 聲明 調用 用戶 智能 優化 公元 拷貝 組件 設備 刷新 加載 實例 進程 登錄 溢出 屏蔽 "
    "批量 激活 仿真 鏡像 調度 權限 全局 兼容 內置 字體 交互 自行車 數據 信號 參數 函數 算法 像素 模擬 循環 "
    "地址 高級 打開 對象 低級 代碼 消息 菜單 訪問 通道 範式 預設 模塊 序列 批次 高端 信道 遠程 互聯網 "
    "光盤 芯片 刻錄 解釋器 變量 複印 觸摸 導入 導出 剪切 寬帶 帶寬 默認 缺省 固件 堆棧 散列 哈希 "
    "採樣 掛斷 拋出 擴展 標識符 比特 位圖 分區 截取 串行 並行 命令行 字符 字節 圖標 端口 "
    "元音 輔音 詞組 彙編 隊列 線程 指針 枚舉 禁用 宏 窗口 發佈 萬象 視圖 界面 重裝 集羣 搜索 前列腺 持久性".split()
)

# Taiwanese words in OpenCC's TWPhrasesRev that Hong Kong writes too.
VALID_IN_HONG_KONG = frozenset(
    "程序 資料 資訊 文件 檔案 程式 支援 新增 設定 執行 儲存 建立 傳送 呼叫 聯絡 連結 連線 核心 介面 影像 "
    "影片 互動 即時 智慧 裝置 複製 效能 整合 社群 使用者 指標 模組 選單 查詢 檢視 開啟 高階 進階 序列 存取 "
    "字型 位元 字元 訊息 訊號 通訊 登入 登出 離線 線上 宣告 行程 類比 物件 片語 列印 影印 區域性 取樣 "
    "停用 元件 光碟 遠端 快取 記憶體 螢幕 簡報 晶片 愛滋病 乳酪 向量 預設 預設值 匯入 匯出 外掛 相容 "
    "相簿 圖庫 存檔 批次 排程 迴圈 數位 最佳化 視窗 桌布 表示式 堆疊 指令碼 內建 外接 觸控 網咖 "
    "叢集 剪下 貼上 圖示 字串 陣列 函式 變數 引數 型別 例項 硬碟 滑鼠 伺服器 寬頻 搜尋 資訊科技 資訊安全 "
    "電腦科學 電腦保安 電腦斷層 程式設計 程式碼 程式設計師 資料庫 資料來源 文書處理 錄影 音訊 除錯 載入 白血球 "
    "紅血球 自閉症 憂鬱症 心肌梗塞 腦梗塞 檔名 塑膠 矽 磁碟 掃描器 映象 遮蔽 啓用 啟用".split()
)

# Short transliterations that are also pieces of other names (萊雅, L'Oréal in Taiwan, inside the
# Bible's 西萊雅, Seraiah): not flagged in either region.
NAME_PIECES = frozenset("萊雅 薩提".split())


def _entries(name: str) -> list[tuple[str, list[str]]]:
    """One OpenCC dictionary of the installed package as (key, values) pairs."""
    import opencc

    root = Path(opencc.__file__).parent / "clib"
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / f"{name}.txt"
        subprocess.run(
            [str(root / "bin" / "opencc_dict"), "-i", str(root / "share" / "opencc" / f"{name}.ocd2"),
             "-o", str(out), "-f", "ocd2", "-t", "text"],
            check=True,
        )
        rows = [line.split("\t") for line in out.read_text(encoding="utf-8").splitlines() if line]
    return [(key, values.split(" ")) for key, values in rows]


def tables() -> list[tuple[str, str, str, str]]:
    """(region, kind, word, the region's word) rows: `flag` a word the region does not use,
    `keep` a word the region does use that contains or overlaps one it does not (網絡卡)."""
    tw = _entries("TWPhrases")  # mainland word (Traditional characters) → Taiwan's
    tw_rev = _entries("TWPhrasesRev")  # Taiwan's word → mainland's
    hk = _entries("HKPhrases")  # mainland word → Hong Kong's
    hk_of = {key: values[0] for key, values in hk}
    hk_words = {v for _, values in hk for v in values}
    tw_words = {v for _, values in tw for v in values}
    rows: list[tuple[str, str, str, str]] = []
    for key, values in tw:
        valid = key in values or key in VALID_IN_TAIWAN or key in NAME_PIECES
        rows.append(("TW", "keep", key, key) if valid else ("TW", "flag", key, "/".join(values)))
    for key, values in hk:  # Hong Kong's own words (機會率, 佐治·古尼) in a Taiwan text
        for word in values:
            taiwan = dict(tw).get(key, [key])
            if word != key and word not in tw_words and word not in taiwan:
                rows.append(("TW", "flag", word, "/".join(taiwan)))
    for key, values in tw_rev:
        valid = key in values or key in hk_words or key in VALID_IN_HONG_KONG or key in NAME_PIECES
        hong_kong = "/".join(dict.fromkeys(hk_of.get(v, v) for v in values))
        rows.append(("HK", "keep", key, key) if valid else ("HK", "flag", key, hong_kong))
    rows += [("TW", "keep", word, word) for word in tw_words] + [("HK", "keep", word, word) for word in hk_words]
    return sorted(set(rows))


def write(rows: Iterable[tuple[str, str, str, str]], out: Path = OUT) -> None:
    """The table as TSV with its source and licence in the header."""
    version = metadata.version("opencc")
    header = [
        "# Regional vocabulary for aligner's `regional` QA check: made by `python -m aligner.qa.regional_table`.",
        f"# Source: OpenCC {version} (https://github.com/BYVoid/OpenCC), dictionaries TWPhrases, TWPhrasesRev",
        "# and HKPhrases; Apache License 2.0, copyright Carbo Kuo (BYVoid) and the OpenCC contributors.",
        "# Words standard in both regions are `keep` rows (see VALID_IN_TAIWAN, VALID_IN_HONG_KONG there).",
        "# Words are in OpenCC's Traditional characters; the region's word is written in its own variants.",
        "# region\tkind\tword\tthe region's word (alternatives separated by /)",
    ]
    variants = {"TW": "t2tw", "HK": "t2hk"}
    lines = [f"{r}\t{k}\t{w}\t{convert(s, variants[r])}" for r, k, w, s in rows]
    out.write_text("\n".join(header + lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    write(tables())
