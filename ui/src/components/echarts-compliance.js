// The parts of ECharts the compliance board uses (heat map of the matrix, trend by month), so the
// chunk stays small and loads only on that page.
import { use } from 'echarts/core'
import { init } from './echarts-motion.js'
import { HeatmapChart, LineChart, BarChart } from 'echarts/charts'
import { GridComponent, TooltipComponent, LegendComponent, VisualMapComponent } from 'echarts/components'
import { CanvasRenderer } from 'echarts/renderers'

use([HeatmapChart, LineChart, BarChart, GridComponent, TooltipComponent, LegendComponent, VisualMapComponent, CanvasRenderer])
export { init }
